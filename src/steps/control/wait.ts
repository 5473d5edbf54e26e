import { z } from 'zod';
import { defineStep, waitFor } from '../../sdk/step.js';
import { durationField } from './durations.js';

/**
 * A timer: the run rests for a while (a bake time, a soak period) and then goes on. The wait is a
 * deadline in the store, not a sleeping process: it survives restarts and costs nothing meanwhile.
 */
export const waitStep = defineStep({
  id: 'wait',
  description: 'Waits for a duration (for: 1h) or until a time (until: 2026-12-01T09:00:00Z), then goes on.',
  kind: 'control',
  workspace: false,
  input: z
    .strictObject({
      for: durationField.optional(),
      until: z.iso.datetime({ offset: true }).optional(),
    })
    .refine((value) => (value.for === undefined) !== (value.until === undefined), { message: 'give exactly one of for: and until:' }),
  output: z.strictObject({ until: z.string() }),
  examples: [
    { title: 'Bake for an hour', with: { for: '1h' } },
    { title: 'Wait for a release window', with: { until: '2026-12-01T09:00:00Z' } },
  ],
  run(input) {
    const until = input.until ?? new Date(Date.now() + (input.for ?? 0)).toISOString();
    return Promise.resolve(waitFor({ types: [], deadline: until, onTimeout: 'continue', reason: `a timer until ${until}` }, { until }));
  },
});
