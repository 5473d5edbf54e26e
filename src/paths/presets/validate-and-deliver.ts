import { z } from 'zod';
import type { PresetStep } from '../preset.js';

/**
 * What most presets do after changing the code: install, test, open the change, merge it. Install skips
 * package scripts: a dependency's install script is code from outside the fleet and must not run with
 * the engine's environment just to check a change.
 */
export const validationParams = {
  /** The install command. */
  install: z.string().min(1).default('npm ci --ignore-scripts'),
  /** The test command. */
  test: z.string().min(1).default('npm test'),
};

export interface ValidationTimings {
  install?: Pick<PresetStep, 'timeout' | 'retry'>;
  test?: Pick<PresetStep, 'timeout' | 'retry'>;
  deliver?: Pick<PresetStep, 'timeout' | 'retry'>;
}

export function validateAndDeliver(params: { install: string; test: string }, timings: ValidationTimings = {}): PresetStep[] {
  return [
    { id: 'install', uses: 'run', with: { command: params.install }, ...timings.install },
    { id: 'test', uses: 'run', with: { command: params.test }, ...timings.test },
    { id: 'open', uses: 'change/open', ...timings.deliver },
    { id: 'merge', uses: 'change/merge', ...timings.deliver },
  ];
}
