import type { Command } from 'commander';
import { runOf } from '../../app/continue-campaign.js';
import type { Decision } from '../../confidence/decision.js';
import { FlotillaError } from '../../model/errors.js';
import type { RunState } from '../../model/run.js';
import { readLedger, type OutcomeRecord } from '../../steps/confidence/ledger.js';
import { color, printJson, table, type Output } from '../output.js';
import { stateDirOf, withStore, type GlobalOptions } from '../state.js';

const ACTION_TEXT: Record<Decision['action'], string> = {
  'auto-merge': 'went on to merge without a person',
  'needs-human': 'asked a person to decide',
  halt: 'stopped the run',
};

/** `+1.50`, `-0.38`, `0.00`: log-odds with their sign, so for and against read at a glance. */
export function signed(value: number): string {
  if (Math.abs(value) < 0.005) return '0.00';
  return `${value > 0 ? '+' : ''}${value.toFixed(2)}`;
}

/**
 * The decision in plain language: what the gate did and why, then every signal — its evidence in a
 * sentence, its value, weight and part of the log-odds — and the hard gates; a recorded outcome last.
 */
export function renderDecision(campaign: string, run: RunState, decision: Decision, outcome: OutcomeRecord | undefined): string {
  const lines: string[] = [];
  const model = decision.model.source === 'learned' ? `weights learned from ${decision.model.outcomes} recorded outcomes` : 'the default weights';
  lines.push(color.bold(`${campaign} / ${run.target}: the confidence gate ${ACTION_TEXT[decision.action]}`));
  lines.push(`Confidence that the change is safe here: ${decision.probability.toFixed(2)} (${decision.level}), log-odds ${signed(decision.logOdds)}.`);
  lines.push(`Policy: merge without a person at ${decision.policy.autoMerge.toFixed(2)} or more, ask a person from ${decision.policy.needsHuman.toFixed(2)}, stop below; decided with ${model} at ${decision.at}.`);
  lines.push('', 'Why:');
  for (const reason of decision.reasons) lines.push(`  - ${reason}`);
  lines.push('', `Signals (log-odds; an automated change with no evidence starts at ${signed(decision.bias)}):`);
  const rows = [['SIGNAL', 'VALUE', 'WEIGHT', 'PART', 'SHARE', 'EVIDENCE']];
  const ordered = [...decision.signals].sort((a, b) => Number(b.available) - Number(a.available) || Math.abs(b.contribution) - Math.abs(a.contribution));
  for (const signal of ordered) {
    const part = signal.available ? signed(signal.contribution) : '—';
    rows.push([signal.id, signal.available ? signal.value.toFixed(2) : '—', signal.weight.toFixed(2), part, signal.available ? `${Math.round(signal.share * 100)}%` : '', signal.explanation]);
  }
  lines.push(...table(rows).split('\n').map((line) => `  ${line}`));
  lines.push('', decision.gates.length === 0 ? 'Hard gates: none held.' : 'Hard gates (each decides on its own, whatever the score):');
  for (const gate of decision.gates) lines.push(`  - ${gate.reason} (${gate.action === 'halt' ? 'stops the run' : 'a person decides'})`);
  lines.push('', run.status === 'done' ? `The run ended ${run.outcome ?? 'without an outcome'}.` : `The run has not ended: it is ${run.status}.`);
  if (outcome) lines.push(`Recorded outcome: ${outcome.outcome}${outcome.reason ? ` (${outcome.reason})` : ''}, ${outcome.at}.`);
  return lines.join('\n');
}

export function registerExplain(program: Command, output: Output): void {
  program
    .command('explain')
    .description("Explain a target's confidence decision: each signal's part, the gates, the decision and why")
    .argument('<campaign>', 'the campaign name')
    .argument('<target>', 'the target name')
    .option('--json', 'print JSON')
    .action(async (campaign: string, target: string, options: { json?: boolean }, command: Command) => {
      await withStore(stateDirOf(command.optsWithGlobals<GlobalOptions>()), true, async (store) => {
        const run = await runOf(store, campaign, target);
        const ledger = await readLedger(store, campaign);
        const entry = ledger.decisions.get(run.runId);
        if (!entry) {
          throw new FlotillaError('not-found', `${target} has no confidence decision in ${campaign}: its path has no confidence/gate step, or the run has not reached it (it is ${run.status}${run.outcome ? `: ${run.outcome}` : ''})`);
        }
        const outcome = ledger.outcomes.get(run.runId);
        if (options.json) {
          return printJson(output, { campaign, target, step: entry.step, run: { status: run.status, outcome: run.outcome ?? null, reasons: run.reasons }, decision: entry.decision, recordedOutcome: outcome ?? null });
        }
        output.out(renderDecision(campaign, run, entry.decision, outcome));
      });
    });
}
