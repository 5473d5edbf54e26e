import { z } from 'zod';
import { npmBumpDependency } from '../../steps/npm/bump-dependency.js';
import { definePreset } from '../preset.js';
import { validateAndDeliver, validationParams } from './validate-and-deliver.js';

/** Moves one npm dependency to an exact version everywhere it is declared, then tests and lands it. */
export const npmDependencyBump = definePreset({
  id: 'npm-dependency-bump',
  description: 'Bumps an npm dependency, installs with scripts off, runs the tests, opens the change and merges it.',
  params: z.strictObject({
    package: npmBumpDependency.input.shape.package,
    version: npmBumpDependency.input.shape.version,
    ...validationParams,
  }),
  example: { package: 'debug', version: '4.4.1' },
  steps: (params) => [
    { id: 'bump', uses: 'npm/bump-dependency', with: { package: params.package, version: params.version } },
    ...validateAndDeliver(params, { install: { timeout: '10m' }, test: { timeout: '30m' } }),
  ],
});
