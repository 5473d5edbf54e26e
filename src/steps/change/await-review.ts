import { z } from 'zod';
import { FlotillaError } from '../../model/errors.js';
import { defineStep, waitFor } from '../../sdk/step.js';
import { durationField } from '../control/durations.js';
import { deadlineAfter, publishedChangeOf } from '../control/published-change.js';

/**
 * Waits for the published change to be reviewed on the code host: an approving review goes on; changes
 * requested send the run to a person; the change closed without merging fails it.
 */
export const changeAwaitReview = defineStep({
  id: 'change/await-review',
  description: 'Waits for an approving review of the published change (change.approved from the code host).',
  kind: 'control',
  workspace: false,
  input: z.strictObject({
    /** How long to wait for a review; default: no deadline. */
    within: durationField.optional(),
  }),
  output: z.strictObject({ changeId: z.string() }),
  examples: [{ title: 'Wait for a review for up to two days', with: { within: '2d' } }],
  run(input, ctx) {
    const change = publishedChangeOf(ctx);
    if (!change) throw new FlotillaError('bad-input', 'change/await-review needs a change opened earlier in the path (change/open)');
    const deadline = deadlineAfter(input.within);
    return Promise.resolve(
      waitFor(
        {
          types: ['change.approved'],
          failOn: { 'change.changes-requested': 'needs-human', 'change.closed': 'failed' },
          reason: `a review of ${change.branch}`,
          ...(deadline ? { deadline } : {}),
        },
        { changeId: change.changeId },
      ),
    );
  },
});
