import type { Command } from 'commander';
import { FlotillaError } from '../../model/errors.js';
import { runIdOf } from '../../engine/reducer.js';
import { color, printJson, type Output } from '../output.js';
import { stateDirOf, withStore, type GlobalOptions } from '../state.js';

export function registerLogs(program: Command, output: Output): void {
  program
    .command('logs')
    .description("Print a target's step logs (secrets redacted)")
    .argument('<campaign>', 'the campaign name')
    .argument('<target>', 'the target name')
    .argument('[step]', 'only this step')
    .option('--json', 'print JSON')
    .action(async (campaign: string, target: string, step: string | undefined, options: { json?: boolean }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      await withStore(stateDirOf(globals), true, async (store) => {
        const runId = runIdOf(campaign, target);
        const run = await store.getRun(runId);
        if (!run) throw new FlotillaError('not-found', `campaign ${campaign} has no run for target ${target}`);
        if (step !== undefined && !(step in run.steps)) {
          throw new FlotillaError('not-found', `the path of ${campaign} has no step ${step}; its steps are ${Object.keys(run.steps).join(', ')}`);
        }
        const lines = await store.readLogs(runId, step);
        if (options.json) return printJson(output, lines);
        let current = '';
        for (const line of lines) {
          const header = `${line.step} (attempt ${line.attempt})`;
          if (header !== current) {
            output.out(color.bold(`── ${header}`));
            current = header;
          }
          output.out(line.text);
        }
      });
    });
}
