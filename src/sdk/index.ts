/**
 * `flotilla/sdk`: what a step author needs to write a step — its definition, its context, and the
 * results that end a run early or wait for an event. Kept narrow on purpose: everything here is a
 * promise to every user step module.
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * import { defineStep } from 'flotilla/sdk';
 *
 * export const notify = defineStep({
 *   id: 'acme/notify',
 *   description: 'Posts the change to the owning team\'s channel.',
 *   kind: 'deliver',
 *   workspace: false,
 *   input: z.strictObject({ channel: z.string().min(1) }),
 *   output: z.strictObject({ posted: z.boolean() }),
 *   examples: [{ title: 'Post to the team channel', with: { channel: '#payments' } }],
 *   async run(input, ctx) {
 *     ctx.log.info('posting', { channel: input.channel });
 *     return { posted: true };
 *   },
 * });
 * ```
 */
export { defineStep, failRun, needsHuman, skipRun, waitFor } from './step.js';
export type { EndRun, StepContext, StepDefinition, StepKind, StepLogger, WaitFor } from './step.js';
