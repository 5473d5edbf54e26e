import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { discoverFleet, renderFleetYaml } from '../../facts/discover-fleet.js';
import { FlotillaError } from '../../model/errors.js';
import { printJson, type Output } from '../output.js';

export function registerFleet(program: Command, output: Output): void {
  const fleet = program.command('fleet').description('Work with fleet files');
  fleet
    .command('discover')
    .description('Write a fleet file from a folder of git repositories')
    .argument('<dir>', 'the folder that holds the repositories (one level deep, or two)')
    .option('--output <file>', 'write the fleet here instead of printing it')
    .option('--force', 'overwrite --output if it exists')
    .option('--json', 'print JSON')
    .action(async (dir: string, options: { output?: string; force?: boolean; json?: boolean }) => {
      const spec = await discoverFleet(dir, options.output ? dirname(resolve(options.output)) : dir);
      if (spec.targets.length === 0) throw new FlotillaError('not-found', `no git repositories found in ${dir}`);
      if (options.json) return printJson(output, spec);
      const text = renderFleetYaml(spec);
      if (!options.output) return output.out(text);
      if (existsSync(options.output) && !options.force) throw new FlotillaError('bad-input', `${options.output} exists; pass --force to overwrite it`);
      await writeFile(options.output, text);
      output.out(`Wrote ${options.output} with ${spec.targets.length} targets.`);
    });
}
