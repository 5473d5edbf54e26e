import { existsSync } from 'node:fs';
import type { ScmAdapter } from '../adapters/scm/scm.js';
import type { RunState } from '../model/run.js';

/**
 * Closes the change a cancelled run published and did not merge, when the SCM can close changes and the
 * run's workspace is still there. Returns what was closed, for the run's history.
 */
export async function cancelRun(state: RunState, scm: ScmAdapter, workspace: string, reason: string): Promise<{ step: string; branch: string } | undefined> {
  if (!scm.closeChange || !existsSync(workspace)) return undefined;
  const merged = Object.values(state.steps).some((step) => step.status === 'succeeded' && step.output?.merged === true);
  if (merged) return undefined;
  for (const [id, step] of Object.entries(state.steps)) {
    const output = step.output ?? {};
    const { changeId, branch, commit } = output;
    if (step.status !== 'succeeded' || typeof changeId !== 'string' || !changeId || typeof branch !== 'string' || typeof commit !== 'string') continue;
    await scm.closeChange({ workspace, change: { id: changeId, branch, commit }, reason });
    return { step: id, branch };
  }
  return undefined;
}
