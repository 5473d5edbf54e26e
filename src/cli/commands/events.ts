import type { Command } from 'commander';
import { FlotillaError } from '../../model/errors.js';
import type { RunEvent } from '../../model/events.js';
import { campaignOf, runIdOf } from '../../engine/reducer.js';
import { color, printJson, type Output } from '../output.js';
import { stateDirOf, withStore, type GlobalOptions } from '../state.js';

export function registerEvents(program: Command, output: Output): void {
  program
    .command('events')
    .description("Show a campaign's event history: what happened to each target, when, and why")
    .argument('<campaign>', 'the campaign name')
    .option('--target <name>', 'only this target')
    .option('--json', 'print JSON (one array of events)')
    .action(async (campaign: string, options: { target?: string; json?: boolean }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      await withStore(stateDirOf(globals), true, async (store) => {
        if (!(await store.getCampaign(campaign))) throw new FlotillaError('not-found', `no campaign named ${campaign} in this state folder`);
        const query = options.target ? { runId: runIdOf(campaign, options.target) } : { campaign };
        const events = await store.listEvents(query);
        if (options.target && events.length === 0) throw new FlotillaError('not-found', `campaign ${campaign} has no run for target ${options.target}`);
        const campaignEvents = options.target ? [] : await store.listCampaignEvents(campaign);
        // JSON: one array in time order; campaign events (waves, halts, pauses) have no runId.
        if (options.json) return printJson(output, [...events, ...campaignEvents].sort((a, b) => a.at.localeCompare(b.at)));
        const lines = [
          ...events.map((event) => ({ at: event.at, text: formatEvent(event, campaign) })),
          ...campaignEvents.map((event) => ({ at: event.at, text: `${color.dim(event.at)}  ${color.bold(event.type)}  ${describeCampaignEvent(event.data)}` })),
        ].sort((a, b) => a.at.localeCompare(b.at));
        for (const line of lines) output.out(line.text);
      });
    });
}

function describeCampaignEvent(data: Record<string, unknown>): string {
  const parts: string[] = [];
  if (typeof data.wave === 'number') parts.push(`wave ${data.wave + 1}`);
  if (typeof data.targets === 'number') parts.push(`${data.targets} targets`);
  if (typeof data.by === 'string') parts.push(`by ${data.by}`);
  if (typeof data.reason === 'string') parts.push(data.reason);
  return parts.join(' — ');
}

/** One plain line: time, target, event type, and what it means. */
export function formatEvent(event: RunEvent, campaign = campaignOf(event.runId)): string {
  const target = event.runId.slice(campaign.length + 1);
  return `${color.dim(event.at)}  ${target}  ${color.bold(event.type)}  ${describeEvent(event)}`;
}

export function describeEvent(event: RunEvent): string {
  switch (event.type) {
    case 'run.created':
      return `from ${event.data.commit.slice(0, 10)}`;
    case 'step.started':
      return `${event.data.step} (attempt ${event.data.attempt})`;
    case 'step.succeeded': {
      const output = JSON.stringify(event.data.output);
      const ending = event.data.endRun ? ` → ${event.data.endRun.outcome}: ${event.data.endRun.reasons.join('; ')}` : '';
      return `${event.data.step} in ${event.data.durationMs}ms ${output.length > 120 ? `${output.slice(0, 117)}...` : output}${ending}`;
    }
    case 'step.failed':
      return `${event.data.step} (attempt ${event.data.attempt}) ${event.data.error.code}: ${event.data.error.message.split('\n')[0] ?? ''}`;
    case 'step.skipped':
      return `${event.data.step}: ${event.data.reason}`;
    case 'step.reported':
      return `${event.data.step} ${event.data.name} ${JSON.stringify(event.data.data)}`;
    case 'run.completed':
      return `${event.data.outcome}${event.data.reasons.length ? `: ${event.data.reasons.join('; ')}` : ''}`;
    case 'step.waiting':
      return `${event.data.step} waits: ${event.data.wait.reason}${event.data.wait.deadline ? ` (until ${event.data.wait.deadline})` : ''}`;
    case 'signal.received':
      return `${event.data.name} from ${event.data.cause} ${JSON.stringify(event.data.data)}`;
    case 'wait.timed-out':
      return `${event.data.step}: its deadline passed`;
    case 'run.cancelled':
      return `${event.data.reason} (${event.data.cause})`;
  }
}
