import { z } from 'zod';
import { defineStep } from '../sdk/step.js';
import type { Target } from '../model/fleet.js';

/** A step that does nothing: what the benchmarks run to measure the engine alone. */
export const noopStep = defineStep({
  id: 'bench/noop',
  description: 'Does nothing (benchmark).',
  kind: 'control',
  workspace: false,
  input: z.strictObject({}),
  output: z.strictObject({}),
  examples: [],
  run: () => Promise.resolve({}),
});

/** A target with no repository behind it, for steps that need none. */
export function benchTarget(name: string): Target {
  return {
    spec: { name, repo: name, tier: 2, tags: [] },
    facts: { name, repo: name, owner: 'team', tier: 2, tags: [], defaultBranch: 'main', commit: '0'.repeat(40), languages: [], packageManager: '', dependencies: {}, devDependencies: {}, hasTests: false, testCommand: '' },
  };
}
