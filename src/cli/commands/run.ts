import type { Command } from 'commander';
import { resolve } from 'node:path';
import { cpus } from 'node:os';
import { createRunner } from '../../app/create-runner.js';
import { prepareCampaign } from '../../app/prepare-campaign.js';
import { badInput } from '../../model/errors.js';
import { stepRegistry } from '../../steps/registry.js';
import type { Store } from '../../store/store.js';
import { EXIT } from '../exit-codes.js';
import { color, printJson, type Output } from '../output.js';
import { createProgressView } from '../live-view.js';
import { stateDirOf, withStore, type GlobalOptions } from '../state.js';
import { renderSummary, runReport } from '../summary.js';

export interface RunOptions {
  fleet: string;
  concurrency?: string;
  dryRun?: boolean;
  json?: boolean;
  keepWorkspaces?: boolean;
  watch?: boolean;
}

export function registerRun(program: Command, output: Output): void {
  program
    .command('run')
    .description('Run a campaign over a fleet (running it again resumes it)')
    .argument('<campaign>', 'the campaign file (campaign.yaml)')
    .requiredOption('--fleet <file>', 'the fleet file (fleet.yaml)')
    .option('--concurrency <n>', 'steps in flight at once', String(cpus().length))
    .option('--dry-run', 'validate, detect facts and show the plan; change nothing')
    .option('--json', 'print one JSON object at the end instead of progress')
    .option('--keep-workspaces', 'keep the workspaces of merged and skipped targets')
    .option('--watch', 'keep running until every run ends: apply events and deadlines as they come (default: stop when every unfinished run waits)')
    .action(async (campaignFile: string, options: RunOptions, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const stateDir = stateDirOf(globals);
      await withStore(stateDir, false, (store) => runCommand(store, stateDir, campaignFile, options, output));
    });
}

export async function runCommand(store: Store, stateDir: string, campaignFile: string, options: RunOptions, output: Output, env: Readonly<Record<string, string | undefined>> = process.env): Promise<void> {
  const concurrency = Number(options.concurrency ?? cpus().length);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw badInput(`--concurrency must be a whole number of at least 1, not ${options.concurrency ?? ''}`, { field: '--concurrency' });
  const prepared = await prepareCampaign({ campaignFile, fleetFile: options.fleet, stateDir, store, registry: stepRegistry() });
  const { engine, selected, excluded } = prepared;

  if (options.dryRun) {
    const plan = { campaign: engine.name, path: engine.steps.map((step) => ({ id: step.id, uses: step.uses })), targets: selected.map((target) => target.spec.name), excluded };
    if (options.json) return printJson(output, plan);
    output.out(`${color.bold(engine.name)}: ${selected.length} of ${selected.length + excluded.length} targets selected`);
    output.out(`path: ${engine.steps.map((step) => `${step.id} (${step.uses})`).join(' → ')}`);
    for (const target of selected) output.out(`  ${target.spec.name}`);
    if (excluded.length) output.out(color.dim(`not selected: ${excluded.map((entry) => entry.name).join(', ')}`));
    return;
  }

  const previous = await store.getCampaign(engine.name);
  if (previous && previous.hash !== engine.hash) {
    const runs = await store.listRuns(engine.name);
    if (runs.some((run) => run.status !== 'done')) {
      throw badInput(`campaign ${engine.name} has unfinished runs started from a different definition; finish them with the original file, or give the changed campaign a new name`, { file: campaignFile, field: 'name' });
    }
  }
  const now = new Date().toISOString();
  await store.saveCampaign({ name: engine.name, hash: engine.hash, spec: engine.spec, file: resolve(campaignFile), createdAt: previous?.createdAt ?? now, updatedAt: now });

  const controller = new AbortController();
  const interrupt = (): void => controller.abort();
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  const mode = options.json ? 'quiet' : output.isTTY ? 'live' : 'lines';
  const view = createProgressView(output, engine.name, selected.length, mode);
  try {
    const runner = createRunner(engine, store, stateDir, {
      concurrency,
      env,
      onEvent: (event, state) => view.onEvent(event, state),
      signal: controller.signal,
      mode: options.watch ? 'until-done' : 'until-idle',
      ...(options.keepWorkspaces ? { keepWorkspaces: true } : {}),
    });
    const runs = await runner.run(selected);
    view.stop();
    if (controller.signal.aborted) {
      output.err('flotilla: interrupted; run the same command again to resume where it stopped');
      process.exitCode = EXIT.interrupted;
      return;
    }
    const inCampaign = runs;
    if (options.json) printJson(output, runReport(engine.name, inCampaign));
    else output.out(`\n${renderSummary(engine.name, inCampaign)}`);
    const attention = inCampaign.some((run) => run.outcome === 'failed' || run.outcome === 'needs-human' || run.status !== 'done');
    const waiting = inCampaign.filter((run) => run.status === 'waiting').length;
    if (waiting > 0 && !options.json) output.out(color.dim(`${waiting} runs wait for events (approvals, CI, timers): \`flotilla serve\` applies them as they come, or run this again later.`));
    process.exitCode = attention ? EXIT.attention : EXIT.ok;
  } finally {
    view.stop();
    process.removeListener('SIGINT', interrupt);
    process.removeListener('SIGTERM', interrupt);
  }
}
