import type { Command } from 'commander';
import { FlotillaError } from '../../model/errors.js';
import { didYouMean } from '../../expr/did-you-mean.js';
import { BUILT_IN_STEPS } from '../../steps/registry.js';
import { printJson, table, type Output } from '../output.js';
import { fieldsOf, renderStepDoc, renderStepReference } from '../step-docs.js';

export function registerSteps(program: Command, output: Output): void {
  const steps = program
    .command('steps')
    .description('List the built-in steps, or show one step\'s documentation')
    .option('--json', 'print JSON')
    .option('--markdown', 'print the whole step reference as Markdown')
    .action((options: { json?: boolean; markdown?: boolean }) => {
      if (options.markdown) return output.out(renderStepReference(BUILT_IN_STEPS));
      if (options.json) {
        return printJson(output, BUILT_IN_STEPS.map((step) => ({ id: step.id, kind: step.kind, description: step.description })));
      }
      output.out(table([['STEP', 'KIND', 'DESCRIPTION'], ...BUILT_IN_STEPS.map((step) => [step.id, step.kind, step.description])]));
    });
  steps
    .command('show')
    .description('Show a step\'s inputs, outputs and examples')
    .argument('<id>', 'the step id, such as npm/bump-dependency')
    .option('--json', 'print JSON')
    .action((id: string, _options: unknown, command: Command) => {
      // `--json` may be taken by the parent `steps` command: read it from either.
      const options = command.optsWithGlobals<{ json?: boolean }>();
      const step = BUILT_IN_STEPS.find((candidate) => candidate.id === id);
      if (!step) throw new FlotillaError('not-found', `unknown step "${id}"${didYouMean(id, BUILT_IN_STEPS.map((candidate) => candidate.id))}`);
      if (options.json) {
        return printJson(output, { id: step.id, kind: step.kind, description: step.description, input: fieldsOf(step.input, 'input'), output: fieldsOf(step.output, 'output'), examples: step.examples });
      }
      output.out(renderStepDoc(step));
    });
}
