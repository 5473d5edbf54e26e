import { z } from 'zod';
import { npmBumpDependency } from '../../steps/npm/bump-dependency.js';
import { definePreset } from '../preset.js';
import { validateAndDeliver, validationParams } from './validate-and-deliver.js';

/**
 * The fast lane for a vulnerable dependency: the same bump, with short timeouts so a stuck target fails
 * fast instead of holding the campaign, install and tests retried once (a flaky test or registry must
 * not leave a target unpatched), and tests that a campaign cannot remove or make conditional.
 */
export const securityPatch = definePreset({
  id: 'security-patch',
  description: 'Fast lane for a vulnerable npm dependency: bump, required tests with a retry against flakiness, short timeouts, open and merge.',
  params: z.strictObject({
    package: npmBumpDependency.input.shape.package,
    version: npmBumpDependency.input.shape.version,
    ...validationParams,
  }),
  example: { package: 'lodash', version: '4.17.21' },
  required: ['bump', 'test'],
  steps: (params) => [
    { id: 'bump', uses: 'npm/bump-dependency', with: { package: params.package, version: params.version }, timeout: '2m' },
    ...validateAndDeliver(params, {
      install: { timeout: '5m', retry: { attempts: 2, backoff: '5s' } },
      test: { timeout: '10m', retry: { attempts: 2, backoff: '10s' } },
      deliver: { timeout: '2m' },
    }),
  ],
});
