import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { cpus } from 'node:os';
import { startDemoRegistry } from '../../demo/demo-packages.js';
import { generateDemoFleet } from '../../demo/generate-fleet.js';
import { npmEnv } from '../../demo/npm-env.js';
import { badInput } from '../../model/errors.js';
import { color, type Output } from '../output.js';
import { withStore, type GlobalOptions } from '../state.js';
import { runCommand } from './run.js';

interface DemoOptions {
  dir: string;
  count: string;
  breaking: string;
  concurrency: string;
  json?: boolean;
}

export function registerDemo(program: Command, output: Output): void {
  program
    .command('demo')
    .description('Generate a fleet of real git repositories and run a dependency-bump campaign over it (offline)')
    .option('--dir <dir>', 'where to create the demo fleet', 'flotilla-demo')
    .option('--count <n>', 'how many services', '12')
    .option('--breaking <n>', 'how many of them the new library version breaks', '3')
    .option('--concurrency <n>', 'steps in flight at once', String(cpus().length))
    .option('--json', 'print one JSON object at the end instead of progress')
    .action(async (options: DemoOptions, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const dir = resolve(options.dir);
      const count = Number(options.count);
      const breaking = Number(options.breaking);
      if (!Number.isInteger(count) || count < 1 || count > 500) throw badInput('--count must be a whole number from 1 to 500', { field: '--count' });
      if (!Number.isInteger(breaking) || breaking < 0 || breaking > count) throw badInput('--breaking must be a whole number from 0 to --count', { field: '--breaking' });
      const stateDir = command.parent?.getOptionValueSource('state') === 'default' ? join(dir, '.flotilla') : resolve(globals.state);
      const say = (text: string): void => {
        if (!options.json) output.out(text);
      };

      const registry = await startDemoRegistry();
      try {
        const fleetFile = join(dir, 'fleet.yaml');
        const campaignFile = join(dir, 'campaign.yaml');
        if (existsSync(fleetFile) && existsSync(campaignFile)) {
          say(`Using the demo fleet in ${display(dir)} (running the campaign again resumes it).`);
        } else {
          say(`Generating ${count} services in ${display(dir)}; the new library version breaks the tests of ${breaking}...`);
          await generateDemoFleet({ dir, count, breaking, registryUrl: registry.url });
        }
        const env = { ...process.env, ...npmEnv({ registry: registry.url, cache: join(dir, '.npm-cache') }) };
        await withStore(stateDir, false, (store) =>
          runCommand(store, stateDir, campaignFile, { fleet: fleetFile, concurrency: options.concurrency, ...(options.json ? { json: true } : {}) }, output, env),
        );
        // The demo's failures are the point of the demo: a finished demo exits 0.
        if (process.exitCode === 1) process.exitCode = 0;
        const state = relative(process.cwd(), stateDir) || '.';
        say(
          [
            '',
            color.bold('Next:'),
            `  flotilla status bump-strings --state ${state}`,
            `  flotilla events bump-strings --state ${state} --target <service>`,
            `  flotilla logs bump-strings <service> test --state ${state}`,
            `  git -C ${display(join(dir, 'repos'))}/<service> log --oneline --graph`,
          ].join('\n'),
        );
      } finally {
        await registry.close();
      }
    });
}

function display(path: string): string {
  return relative(process.cwd(), path) || '.';
}
