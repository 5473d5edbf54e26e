import { z } from 'zod';
import { codemodReplace } from '../../steps/codemod/replace.js';
import { definePreset } from '../preset.js';
import { validateAndDeliver, validationParams } from './validate-and-deliver.js';

/** A text or regular-expression rewrite across the fleet, then tests and lands it. */
export const codemod = definePreset({
  id: 'codemod',
  description: 'Replaces a text or a regular expression in matching files, installs, runs the tests, opens the change and merges it.',
  params: z.strictObject({
    files: codemodReplace.input.shape.files,
    find: codemodReplace.input.shape.find,
    replace: codemodReplace.input.shape.replace,
    regex: codemodReplace.input.shape.regex,
    ...validationParams,
  }),
  example: { files: ['src/**/*.ts'], find: "from 'old-logger'", replace: "from '@acme/logger'" },
  steps: (params) => [
    { id: 'codemod', uses: 'codemod/replace', with: { files: params.files, find: params.find, replace: params.replace, regex: params.regex } },
    ...validateAndDeliver(params, { install: { timeout: '10m' }, test: { timeout: '30m' } }),
  ],
});
