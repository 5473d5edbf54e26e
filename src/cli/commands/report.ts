import type { Command } from 'commander';
import { formatDuration } from '../../model/duration.js';
import { FlotillaError } from '../../model/errors.js';
import type { RunEvent } from '../../model/events.js';
import type { RunState } from '../../model/run.js';
import type { DecisionRecord } from '../../steps/confidence/ledger.js';
import { readLedger } from '../../steps/confidence/ledger.js';
import type { CampaignEvent } from '../../store/store.js';
import { color, printJson, table, type Output } from '../output.js';
import { stateDirOf, withStore, type GlobalOptions } from '../state.js';

interface Group {
  reason: string;
  count: number;
  example: string;
}

export interface CampaignReport {
  campaign: string;
  targets: number;
  counts: Record<string, number>;
  time: { startedAt: string | null; finishedAt: string | null; durationMs: number | null; unfinished: number };
  mergedWithoutHuman: { count: number; share: number };
  needsHuman: { count: number; share: number; reasons: Group[] };
  failed: { count: number; share: number; byStep: (Group & { step: string })[] };
  confidence: { decisions: number; autoMerge: number; needsHuman: number; halt: number; meanProbability: number } | null;
  waves: { wave: number; startedAt: string; targets: number | null; reason: string; durationMs: number | null }[];
  halts: { at: string; by: string; wave: number | null; reason: string }[];
}

/**
 * Groups reasons people can act on together: the gate's "confidence … is below the auto-merge threshold"
 * whatever the number, and otherwise by the label a reason starts with (`tests:`, `test-evidence:`,
 * `compliance:`, `approve:`); a reason without one is its own group, digits folded.
 */
export function reasonGroup(reason: string): string {
  const confidence = /^confidence [\d.]+ \([a-z-]+\) is below the (auto-merge|needs-human) threshold/.exec(reason);
  if (confidence) return `confidence below the ${confidence[1]} threshold`;
  const label = /^([a-z][\w/.-]*): /.exec(reason);
  if (label?.[1]) return label[1];
  return reason.replace(/\d+(\.\d+)?/g, 'N').slice(0, 80);
}

function grouped(runs: readonly RunState[], keyOf: (run: RunState) => string[]): Group[] {
  const groups = new Map<string, Group>();
  for (const run of runs) {
    for (const [key, example] of new Map(keyOf(run).map((reason) => [reasonGroup(reason), reason]))) {
      const group = groups.get(key) ?? { reason: key, count: 0, example };
      group.count += 1;
      groups.set(key, group);
    }
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
}

const text = (value: unknown): string => (typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value));
const share = (count: number, total: number): number => (total === 0 ? 0 : Math.round((count / total) * 1000) / 1000);

/** The report, from a campaign's runs, their events, its campaign events and the gates' decisions. */
export function buildReport(campaign: string, runs: readonly RunState[], events: readonly RunEvent[], campaignEvents: readonly CampaignEvent[], decisions: readonly DecisionRecord[]): CampaignReport {
  const counts: Record<string, number> = {};
  for (const run of runs) counts[run.outcome ?? 'unfinished'] = (counts[run.outcome ?? 'unfinished'] ?? 0) + 1;
  const created = events.filter((event) => event.type === 'run.created').map((event) => event.at).sort();
  const completed = events.filter((event) => event.type === 'run.completed').map((event) => event.at).sort();
  const unfinished = runs.filter((run) => run.status !== 'done').length;
  const startedAt = created[0] ?? null;
  const finishedAt = unfinished === 0 ? (completed[completed.length - 1] ?? null) : null;
  const touched = new Set(events.filter((event) => event.type === 'signal.received' && event.data.name.startsWith('approval.')).map((event) => event.runId));
  const merged = runs.filter((run) => run.outcome === 'merged' && !touched.has(run.runId)).length;
  const human = runs.filter((run) => run.outcome === 'needs-human');
  const failed = runs.filter((run) => run.outcome === 'failed');
  const byStep = new Map<string, RunState[]>();
  for (const run of failed) byStep.set(run.failedStep ?? '(none)', [...(byStep.get(run.failedStep ?? '(none)') ?? []), run]);
  const waveStarts = campaignEvents.filter((event) => event.type === 'campaign.wave-started').sort((a, b) => a.at.localeCompare(b.at));
  const actions = decisions.map((entry) => entry.decision.action);
  return {
    campaign,
    targets: runs.length,
    counts,
    time: { startedAt, finishedAt, durationMs: startedAt && finishedAt ? Date.parse(finishedAt) - Date.parse(startedAt) : null, unfinished },
    mergedWithoutHuman: { count: merged, share: share(merged, runs.length) },
    needsHuman: { count: human.length, share: share(human.length, runs.length), reasons: grouped(human, (run) => run.reasons) },
    failed: {
      count: failed.length,
      share: share(failed.length, runs.length),
      byStep: [...byStep].map(([step, list]) => ({ step, reason: step, count: list.length, example: list[0]?.reasons[0] ?? '' })).sort((a, b) => b.count - a.count),
    },
    confidence:
      decisions.length === 0
        ? null
        : {
            decisions: decisions.length,
            autoMerge: actions.filter((action) => action === 'auto-merge').length,
            needsHuman: actions.filter((action) => action === 'needs-human').length,
            halt: actions.filter((action) => action === 'halt').length,
            meanProbability: Math.round((decisions.reduce((sum, entry) => sum + entry.decision.probability, 0) / decisions.length) * 1000) / 1000,
          },
    waves: waveStarts.map((event, index) => {
      const next = waveStarts[index + 1]?.at ?? finishedAt;
      return { wave: Number(event.data.wave ?? index), startedAt: event.at, targets: typeof event.data.targets === 'number' ? event.data.targets : null, reason: text(event.data.reason), durationMs: next ? Date.parse(next) - Date.parse(event.at) : null };
    }),
    halts: campaignEvents
      .filter((event) => event.type === 'campaign.halted')
      .map((event) => ({ at: event.at, by: text(event.data.by), wave: typeof event.data.wave === 'number' ? event.data.wave : null, reason: text(event.data.reason) })),
  };
}

const percent = (value: number): string => `${Math.round(value * 100)}%`;

export function renderReport(report: CampaignReport): string {
  const lines = [color.bold(`Campaign ${report.campaign}: ${report.targets} targets`)];
  const { time } = report;
  if (time.durationMs !== null) lines.push(`Time: ${formatDuration(time.durationMs)} from the first target started (${time.startedAt ?? ''}) to the last done (${time.finishedAt ?? ''}).`);
  else lines.push(`Time: not done yet — ${time.unfinished} of ${report.targets} targets unfinished${time.startedAt ? ` (started ${time.startedAt})` : ''}.`);
  lines.push(`Merged with no person: ${report.mergedWithoutHuman.count} of ${report.targets} (${percent(report.mergedWithoutHuman.share)}).`);
  lines.push(`Needed a person: ${report.needsHuman.count} of ${report.targets} (${percent(report.needsHuman.share)})${report.needsHuman.count > 0 ? ', because:' : '.'}`);
  if (report.needsHuman.reasons.length > 0) lines.push(indent(table(report.needsHuman.reasons.map((group) => [String(group.count), group.reason, color.dim(`e.g. ${group.example}`)]))));
  lines.push(`Failed: ${report.failed.count} of ${report.targets} (${percent(report.failed.share)})${report.failed.count > 0 ? ', by step:' : '.'}`);
  if (report.failed.byStep.length > 0) lines.push(indent(table(report.failed.byStep.map((group) => [String(group.count), group.step, color.dim(`e.g. ${group.example}`)]))));
  const others = Object.entries(report.counts).filter(([outcome]) => !['merged', 'needs-human', 'failed'].includes(outcome));
  if (others.length > 0) lines.push(`Other outcomes: ${others.map(([outcome, count]) => `${outcome} ${count}`).join(', ')}.`);
  const confidence = report.confidence;
  if (confidence) {
    lines.push(`Confidence gate: ${confidence.decisions} decisions — ${confidence.autoMerge} auto-merge, ${confidence.needsHuman} to a person, ${confidence.halt} halted; mean confidence ${confidence.meanProbability.toFixed(2)}.`);
  } else {
    lines.push('Confidence gate: no decisions (the path has no confidence/gate step).');
  }
  if (report.waves.length === 0) {
    lines.push('Waves: none recorded — this campaign did not roll out in waves (`rollout: { waves: [...] }` in the campaign does).');
  } else {
    lines.push('Waves:');
    const rows = report.waves.map((wave) => [`wave ${wave.wave + 1}`, wave.targets === null ? '' : `${wave.targets} targets`, `started ${wave.startedAt}`, wave.durationMs === null ? 'still open' : `lasted ${formatDuration(wave.durationMs)}`, wave.reason]);
    lines.push(indent(table(rows)));
  }
  for (const halt of report.halts) lines.push(color.red(`Halted at ${halt.at} by ${halt.by}${halt.wave === null ? '' : ` in wave ${halt.wave + 1}`}: ${halt.reason}`));
  return lines.join('\n');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}

export function registerReport(program: Command, output: Output): void {
  program
    .command('report')
    .description('Report on a campaign: time to done, merged with no person, who needed a person and why, failures by step, waves')
    .argument('<campaign>', 'the campaign name')
    .option('--json', 'print JSON')
    .action(async (campaign: string, options: { json?: boolean }, command: Command) => {
      await withStore(stateDirOf(command.optsWithGlobals<GlobalOptions>()), true, async (store) => {
        if (!(await store.getCampaign(campaign))) throw new FlotillaError('not-found', `no campaign named ${campaign} in this state folder`);
        const [runs, events, campaignEvents, ledger] = await Promise.all([store.listRuns(campaign), store.listEvents({ campaign }), store.listCampaignEvents(campaign), readLedger(store, campaign)]);
        const report = buildReport(campaign, runs, events, campaignEvents, [...ledger.decisions.values()]);
        if (options.json) return printJson(output, report);
        output.out(renderReport(report));
      });
    });
}
