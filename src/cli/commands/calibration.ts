import type { Command } from 'commander';
import { brierScore, calibrationError, reliabilityTable, type Prediction, type ReliabilityBucket } from '../../confidence/calibration.js';
import { featuresOf } from '../../confidence/decision.js';
import { learnWeights, MIN_OUTCOMES_TO_LEARN, predict, type Sample } from '../../confidence/learn.js';
import { SIGNAL_IDS } from '../../confidence/signal.js';
import { DEFAULT_WEIGHTS, type Weights } from '../../confidence/weights.js';
import { FlotillaError } from '../../model/errors.js';
import { isSafe, readLedger } from '../../steps/confidence/ledger.js';
import type { Store } from '../../store/store.js';
import { color, printJson, table, type Output } from '../output.js';
import { stateDirOf, withStore, type GlobalOptions } from '../state.js';

export interface CalibrationReport {
  /** Decisions with a recorded outcome. */
  outcomes: number;
  safe: number;
  brier: number | null;
  /** Count-weighted mean gap between predicted and observed, across buckets. */
  calibrationError: number | null;
  reliability: ReliabilityBucket[];
  /** Weights fitted on these outcomes (from 50 on), beside the defaults, and their in-sample Brier score. */
  learned: { weights: Weights; brier: number; converged: boolean } | null;
  defaults: Weights;
}

/** Every decision with a recorded outcome, in the chosen campaigns: what the gate said, and what happened. */
export async function collectOutcomes(store: Store, campaign: string | undefined): Promise<{ predictions: Prediction[]; samples: Sample[] }> {
  const names = campaign === undefined ? (await store.listCampaigns()).map((record) => record.name) : [campaign];
  const predictions: Prediction[] = [];
  const samples: Sample[] = [];
  for (const name of names) {
    const ledger = await readLedger(store, name);
    for (const [runId, outcome] of ledger.outcomes) {
      const decision = ledger.decisions.get(runId)?.decision;
      if (!decision) continue;
      const safe = isSafe(outcome.outcome) ? 1 : 0;
      predictions.push({ probability: decision.probability, safe });
      samples.push({ features: featuresOf(decision), safe });
    }
  }
  return { predictions, samples };
}

export function buildCalibration(predictions: readonly Prediction[], samples: readonly Sample[]): CalibrationReport {
  const reliability = reliabilityTable(predictions);
  const learned = learnWeights(samples, DEFAULT_WEIGHTS);
  return {
    outcomes: predictions.length,
    safe: predictions.filter((prediction) => prediction.safe === 1).length,
    brier: predictions.length === 0 ? null : brierScore(predictions),
    calibrationError: predictions.length === 0 ? null : calibrationError(reliability),
    reliability,
    learned: learned ? { weights: learned.weights, converged: learned.converged, brier: brierScore(samples.map((sample) => ({ probability: predict(learned.weights, sample.features), safe: sample.safe }))) } : null,
    defaults: DEFAULT_WEIGHTS,
  };
}

const fixed = (value: number, digits = 2): string => (Number.isNaN(value) ? '—' : value.toFixed(digits));

export function renderCalibration(report: CalibrationReport): string {
  if (report.outcomes === 0) return 'No outcomes recorded yet: record how landed changes turned out with `flotilla outcome CAMPAIGN TARGET healthy|reverted|broke`.';
  const lines = [color.bold(`Calibration over ${report.outcomes} decisions with a recorded outcome (${report.safe} healthy)`)];
  lines.push(`Brier score: ${fixed(report.brier ?? Number.NaN, 4)} (0 is perfect, 0.25 is a coin toss); calibration error ${fixed(report.calibrationError ?? Number.NaN, 3)}.`);
  lines.push('', 'Reliability — does "0.9" mean nine in ten?');
  const rows = [['PREDICTED', 'COUNT', 'MEAN PREDICTED', 'OBSERVED SAFE']];
  for (const bucket of report.reliability) rows.push([`${bucket.from.toFixed(1)}–${bucket.to.toFixed(1)}`, String(bucket.count), fixed(bucket.predicted), fixed(bucket.observed)]);
  lines.push(...table(rows).split('\n').map((line) => `  ${line}`));
  lines.push('');
  if (!report.learned) {
    lines.push(`Learned weights: not yet — the default weights are used until ${MIN_OUTCOMES_TO_LEARN} outcomes are recorded (${report.outcomes} so far).`);
  } else {
    lines.push(`Learned weights (L2-regularised logistic regression around the defaults; in-sample Brier ${fixed(report.learned.brier, 4)}${report.learned.converged ? '' : ', did not converge'}):`);
    const weights = [['SIGNAL', 'DEFAULT', 'LEARNED'], ['bias', fixed(report.defaults.bias), fixed(report.learned.weights.bias)]];
    for (const id of SIGNAL_IDS) weights.push([id, fixed(report.defaults.signals[id]), fixed(report.learned.weights.signals[id])]);
    lines.push(...table(weights).split('\n').map((line) => `  ${line}`));
  }
  return lines.join('\n');
}

export function registerCalibration(program: Command, output: Output): void {
  program
    .command('calibration')
    .description('Check the confidence model against recorded outcomes: Brier score, reliability table, learned weights')
    .option('--campaign <name>', 'only this campaign (default: every campaign)')
    .option('--json', 'print JSON')
    .action(async (options: { campaign?: string; json?: boolean }, command: Command) => {
      await withStore(stateDirOf(command.optsWithGlobals<GlobalOptions>()), true, async (store) => {
        if (options.campaign !== undefined && !(await store.getCampaign(options.campaign))) throw new FlotillaError('not-found', `no campaign named ${options.campaign} in this state folder`);
        const { predictions, samples } = await collectOutcomes(store, options.campaign);
        const report = buildCalibration(predictions, samples);
        if (options.json) return printJson(output, { ...report, reliability: report.reliability.map((bucket) => ({ ...bucket, predicted: nullable(bucket.predicted), observed: nullable(bucket.observed) })) });
        output.out(renderCalibration(report));
      });
    });
}

function nullable(value: number): number | null {
  return Number.isNaN(value) ? null : value;
}
