import { z } from 'zod';
import { defineStep, waitFor } from '../../sdk/step.js';
import { durationField } from './durations.js';
import { deadlineAfter } from './published-change.js';

/**
 * Waits for a person: `flotilla approve CAMPAIGN TARGET` (or the dashboard, or the API) lets the run go
 * on; `flotilla reject … --reason` fails the step with the reason.
 */
export const approvalStep = defineStep({
  id: 'approval',
  description: 'Waits for a person to approve (flotilla approve) or reject (flotilla reject) this target.',
  kind: 'control',
  workspace: false,
  input: z.strictObject({
    /** Who should approve; shown where the run waits. Default: the target's owner. */
    approvers: z.array(z.string().min(1)).optional(),
    /** How long to wait before `on-timeout` applies; default: no deadline. */
    within: durationField.optional(),
  }),
  output: z.strictObject({ requestedFrom: z.array(z.string()) }),
  examples: [
    { title: 'Ask the owner', with: {} },
    { title: 'Ask the SRE team within a day', with: { approvers: ['team-sre'], within: '1d' } },
  ],
  run(input, ctx) {
    const requestedFrom = input.approvers ?? (ctx.facts.owner ? [ctx.facts.owner] : []);
    const deadline = deadlineAfter(input.within);
    return Promise.resolve(
      waitFor(
        {
          types: ['approval.granted'],
          failOn: { 'approval.rejected': 'failed' },
          reason: `approval${requestedFrom.length ? ` from ${requestedFrom.join(', ')}` : ''}`,
          ...(deadline ? { deadline } : {}),
        },
        { requestedFrom },
      ),
    );
  },
});
