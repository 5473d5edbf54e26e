import type { Command } from 'commander';
import { stringify } from 'yaml';
import { didYouMean } from '../../expr/did-you-mean.js';
import { FlotillaError } from '../../model/errors.js';
import type { AnyPreset } from '../../paths/preset.js';
import { PATH_PRESETS, findPreset } from '../../paths/presets.js';
import { printJson, table, type Output } from '../output.js';
import { fieldsOf } from '../step-docs.js';

/** `flotilla paths`: the ready-made paths a campaign can use with `path:`, and what each expands to. */
export function registerPaths(program: Command, output: Output): void {
  const paths = program
    .command('paths')
    .description('List the ready-made paths (presets), or show what one expands to')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) => {
      if (options.json) return printJson(output, PATH_PRESETS.map((preset) => ({ id: preset.id, description: preset.description })));
      output.out(table([['PRESET', 'DESCRIPTION'], ...PATH_PRESETS.map((preset) => [preset.id, preset.description])]));
    });
  paths
    .command('show')
    .description('Show a preset\'s parameters and the steps it expands to for its example parameters')
    .argument('<id>', 'the preset id, such as npm-dependency-bump')
    .option('--json', 'print JSON')
    .action((id: string, _options: unknown, command: Command) => {
      // `--json` after `show` is taken by `paths` itself (commander reads a parent's options anywhere).
      const options = command.optsWithGlobals<{ json?: boolean }>();
      const preset = findPreset(id);
      if (!preset) throw new FlotillaError('not-found', `unknown preset "${id}"${didYouMean(id, PATH_PRESETS.map((candidate) => candidate.id)) || '; `flotilla paths` lists them'}`);
      const steps = preset.steps(preset.params.parse(preset.example));
      const params = fieldsOf(preset.params, 'input');
      if (options.json) return printJson(output, { id: preset.id, description: preset.description, params, required: preset.required ?? [], example: preset.example, steps });
      output.out(renderPreset(preset, params, steps));
    });
}

function renderPreset(preset: AnyPreset, params: ReturnType<typeof fieldsOf>, steps: unknown[]): string {
  const rows = params.map((field) => [field.name, field.type, field.required ? 'required' : `default ${JSON.stringify(field.default)}`]);
  const lines = [`${preset.id}: ${preset.description}`, '', 'Parameters (path.with):', table([['PARAMETER', 'TYPE', 'REQUIRED OR DEFAULT'], ...rows])];
  if (preset.required?.length) lines.push('', `Required steps (cannot be removed or given if:): ${preset.required.join(', ')}`);
  lines.push('', '# In a campaign:', stringify({ path: { uses: preset.id, with: preset.example } }).trimEnd());
  lines.push('', '# expands to:', stringify({ steps }).trimEnd());
  return lines.join('\n');
}
