import type { Command } from 'commander';
import { userInfo } from 'node:os';
import { continueCampaign, runOf, type ContinueResult } from '../../app/continue-campaign.js';
import { FlotillaError } from '../../model/errors.js';
import type { CampaignStatus, Store } from '../../store/store.js';
import { countOutcomes } from '../summary.js';
import { printJson, type Output } from '../output.js';
import { stateDirOf, withStore, type GlobalOptions } from '../state.js';

/** `pause`, `resume`, `cancel` (a campaign's kill switch) and `approve`, `reject`, `emit` (events for a run). */
export function registerControl(program: Command, output: Output): void {
  const status = (verb: 'pause' | 'resume' | 'cancel', next: CampaignStatus, description: string): void => {
    program
      .command(verb)
      .description(description)
      .argument('<campaign>', 'the campaign name')
      .option('--json', 'print JSON')
      .action(async (campaign: string, options: { json?: boolean }, command: Command) => {
        const stateDir = stateDirOf(command.optsWithGlobals<GlobalOptions>());
        await withStore(stateDir, true, async (store) => {
          const record = await store.getCampaign(campaign);
          if (!record) throw new FlotillaError('not-found', `no campaign named ${campaign} in this state folder`);
          if (record.status === 'cancelled' && next !== 'cancelled') throw new FlotillaError('conflict', `campaign ${campaign} was cancelled; start a new campaign instead`);
          const at = new Date().toISOString();
          await store.setCampaignStatus(campaign, next, at);
          const type = next === 'active' ? 'campaign.resumed' : next === 'paused' ? 'campaign.paused' : 'campaign.cancelled';
          await store.appendCampaignEvent({ campaign, type, at, data: { by: safeUser(), was: record.status ?? 'active' } });
          const result = next === 'paused' ? undefined : await continueCampaign(store, stateDir, campaign);
          report(output, options.json, `campaign ${campaign} is ${next}`, result);
        });
      });
  };
  status('pause', 'paused', 'Pause a campaign: no new step or target starts; running steps finish');
  status('resume', 'active', 'Resume a paused or halted campaign (after a halt, the next wave starts and the circuit breaker counts afresh)');
  status('cancel', 'cancelled', 'Cancel a campaign: every unfinished run ends cancelled and its open change is closed');

  const signal = (verb: string, description: string, name: (options: SignalOptions) => string): void => {
    const command = program.command(verb).description(description).argument('<campaign>', 'the campaign name').argument('<target>', 'the target name');
    if (verb === 'emit') command.argument('<type>', 'the event type, such as ci.completed').option('--data <json>', 'the event data as a JSON object', '{}');
    else command.option('--reason <text>', 'why (kept in the run history)');
    command
      .option('--by <name>', 'who (default: the current user)')
      .option('--json', 'print JSON')
      .action(async (...args: unknown[]) => {
        const cmd = args[args.length - 1] as Command;
        const options = args[args.length - 2] as SignalOptions;
        const [campaign, target, type] = args as [string, string, string | undefined];
        options.type = type;
        const stateDir = stateDirOf(cmd.optsWithGlobals<GlobalOptions>());
        await withStore(stateDir, true, async (store) => {
          const event = name(options);
          await enqueue(store, campaign, target, event, options, verb);
          const result = await continueCampaign(store, stateDir, campaign);
          report(output, options.json, `${event} recorded for ${target}`, result, target);
        });
      });
  };
  signal('approve', 'Approve a run that waits for approval', () => 'approval.granted');
  signal('reject', 'Reject a run that waits for approval (it fails with the reason)', () => 'approval.rejected');
  signal('emit', 'Send an event to a run, as a webhook would (for example ci.completed)', (options) => options.type ?? '');
}

interface SignalOptions {
  reason?: string;
  by?: string;
  data?: string;
  json?: boolean;
  type?: string | undefined;
}

async function enqueue(store: Store, campaign: string, target: string, name: string, options: SignalOptions, verb: string): Promise<void> {
  const run = await runOf(store, campaign, target);
  if (run.status === 'done') throw new FlotillaError('conflict', `the run of ${target} already ended ${run.outcome ?? ''}; there is nothing to ${verb}`);
  if (!/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/.test(name)) throw new FlotillaError('bad-input', `event type "${name}" must look like ci.completed (lowercase words joined by dots)`);
  let data: Record<string, unknown> = {};
  if (options.data !== undefined) {
    try {
      data = JSON.parse(options.data) as Record<string, unknown>;
    } catch (error) {
      throw new FlotillaError('bad-input', `--data is not JSON: ${(error as Error).message}`, { location: { field: '--data' } });
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new FlotillaError('bad-input', '--data must be a JSON object', { location: { field: '--data' } });
  }
  if (verb !== 'emit') {
    const waits = Object.values(run.steps).some((step) => step.status === 'waiting' && step.wait?.types.includes('approval.granted'));
    if (!waits) throw new FlotillaError('conflict', `${target} is not waiting for an approval (it is ${run.status}); \`flotilla status ${campaign}\` shows where each run is`);
    data = { ...(options.reason ? { reason: options.reason } : {}) };
  }
  const by = options.by ?? safeUser();
  await store.enqueueSignal({ campaign, runId: run.runId, name, data: { ...data, by }, cause: `flotilla ${verb} by ${by}`, at: new Date().toISOString() });
}

function report(output: Output, json: boolean | undefined, what: string, result: ContinueResult | undefined, target?: string): void {
  if (json) return printJson(output, { ok: true, what, applied: result?.ran ?? false, ...(result?.ran ? { counts: countOutcomes(result.runs) } : {}) });
  output.out(what);
  if (!result) return;
  if (!result.ran) return output.out(`the process running the campaign (${result.holder}) applies it`);
  const run = target ? result.runs.find((candidate) => candidate.target === target) : undefined;
  if (run) output.out(`${target} is now ${run.status === 'done' ? `done: ${run.outcome ?? ''}` : run.status}`);
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
