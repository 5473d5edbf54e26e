import type { StepContext } from '../../sdk/step.js';

/** The change a `change/open` step published earlier in the path, if any. */
export function publishedChangeOf(ctx: StepContext): { changeId: string; branch: string; commit: string } | undefined {
  for (const step of Object.values(ctx.steps)) {
    const { changeId, branch, commit } = step.outputs;
    if (typeof changeId === 'string' && changeId && typeof branch === 'string' && typeof commit === 'string') return { changeId, branch, commit };
  }
  return undefined;
}

/** `now + duration` as ISO time, or undefined without a duration. */
export function deadlineAfter(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : new Date(Date.now() + ms).toISOString();
}
