import { z } from 'zod';
import { FlotillaError } from '../../model/errors.js';
import { defineStep, waitFor } from '../../sdk/step.js';
import { durationField } from '../control/durations.js';
import { deadlineAfter, publishedChangeOf } from '../control/published-change.js';

/**
 * Waits for CI to report on the change's commit: a `ci.completed` event (a signed webhook from the code
 * host, or `flotilla emit`) whose `commit` is the change's. Green goes on; any other conclusion fails.
 */
export const ciAwait = defineStep({
  id: 'ci/await',
  description: "Waits for ci.completed on the change's commit; a conclusion other than success fails the step.",
  kind: 'control',
  workspace: false,
  input: z.strictObject({
    /** The commit CI runs on; default: the commit change/open published. */
    commit: z.string().min(7).optional(),
    /** How long to wait for CI; default 2h. */
    within: durationField.default(7_200_000),
  }),
  output: z.strictObject({ commit: z.string() }),
  examples: [
    { title: 'Wait for CI on the published change', with: {} },
    { title: 'Allow a slow pipeline', with: { within: '6h' } },
  ],
  run(input, ctx) {
    const commit = input.commit ?? publishedChangeOf(ctx)?.commit;
    if (!commit) throw new FlotillaError('bad-input', 'ci/await needs a commit: open a change first (change/open) or give with.commit');
    const deadline = deadlineAfter(input.within);
    return Promise.resolve(
      waitFor(
        { types: ['ci.completed'], match: { commit }, require: { conclusion: ['success', 'neutral', 'skipped'] }, reason: `CI on ${commit.slice(0, 10)}`, ...(deadline ? { deadline } : {}) },
        { commit },
      ),
    );
  },
});
