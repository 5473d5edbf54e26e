import type { Command } from 'commander';
import { FlotillaError } from '../../model/errors.js';
import { EXIT } from '../exit-codes.js';
import { printJson, table, type Output } from '../output.js';
import { stateDirOf, withStore, type GlobalOptions } from '../state.js';
import { countOutcomes, renderSummary, runReport } from '../summary.js';

export function registerStatus(program: Command, output: Output): void {
  program
    .command('status')
    .description('Show every campaign, or one campaign target by target')
    .argument('[campaign]', 'the campaign name')
    .option('--json', 'print JSON')
    .action(async (campaign: string | undefined, options: { json?: boolean }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      await withStore(stateDirOf(globals), true, async (store) => {
        if (campaign === undefined) {
          const campaigns = await store.listCampaigns();
          const rows = [];
          for (const record of campaigns) {
            const runs = await store.listRuns(record.name);
            const state = record.status && record.status !== 'active' ? record.status : runs.every((run) => run.status === 'done') ? 'done' : 'running';
            rows.push({ name: record.name, state, file: record.file, counts: countOutcomes(runs) });
          }
          if (options.json) return printJson(output, { campaigns: rows });
          if (rows.length === 0) return output.out('No campaigns yet. Run one with `flotilla run CAMPAIGN --fleet FLEET`.');
          output.out(table([['CAMPAIGN', 'STATE', 'MERGED', 'CHANGED', 'NEEDS-HUMAN', 'FAILED', 'SKIPPED', 'UNFINISHED'], ...rows.map((row) => [row.name, row.state, ...['merged', 'changed', 'needs-human', 'failed', 'skipped', 'unfinished'].map((key) => String(row.counts[key] ?? 0))])]));
          return;
        }
        if (!(await store.getCampaign(campaign))) throw new FlotillaError('not-found', `no campaign named ${campaign} in this state folder`);
        const runs = await store.listRuns(campaign);
        const halted = [...(await store.listCampaignEvents(campaign))].reverse().find((event) => event.type === 'campaign.halted');
        const record = await store.getCampaign(campaign);
        if (options.json) return printJson(output, { ...runReport(campaign, runs), state: record?.status ?? 'active', ...(record?.status === 'halted' && halted ? { halted: halted.data } : {}) });
        output.out(renderSummary(campaign, runs));
        if (record?.status && record.status !== 'active') output.out(`campaign ${campaign} is ${record.status}${record.status === 'halted' && halted ? `: ${String(halted.data.reason)}` : ''}`);
      });
      process.exitCode = EXIT.ok;
    });
}
