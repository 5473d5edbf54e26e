import type { Command } from 'commander';
import { revertCampaign } from '../../app/revert-campaign.js';
import { EXIT } from '../exit-codes.js';
import { printJson, type Output } from '../output.js';
import { stateDirOf, withStore, type GlobalOptions } from '../state.js';
import { renderSummary, runReport } from '../summary.js';

export function registerRevert(program: Command, output: Output): void {
  program
    .command('revert')
    .description('Undo what a campaign merged, across the fleet (a campaign of its own: <campaign>-revert)')
    .argument('<campaign>', 'the campaign whose merges to revert')
    .option('--targets <names>', 'only these targets (comma-separated)')
    .option('--json', 'print JSON')
    .action(async (campaign: string, options: { targets?: string; json?: boolean }, command: Command) => {
      const stateDir = stateDirOf(command.optsWithGlobals<GlobalOptions>());
      const only = options.targets?.split(',').map((name) => name.trim()).filter(Boolean);
      await withStore(stateDir, true, async (store) => {
        const result = await revertCampaign(store, stateDir, campaign, only);
        if (options.json) printJson(output, runReport(result.campaign, result.runs));
        else output.out(renderSummary(result.campaign, result.runs));
        process.exitCode = result.runs.some((run) => run.outcome !== 'merged' && run.outcome !== 'skipped') ? EXIT.attention : EXIT.ok;
      });
    });
}
