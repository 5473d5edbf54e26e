import { randomBytes } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScmAdapter } from '../adapters/scm/scm.js';
import type { EngineStep } from '../engine/engine-campaign.js';
import type { StepOutcome } from '../engine/execute-step.js';
import { git, gitRaw } from '../git/git.js';
import { FlotillaError } from '../model/errors.js';
import type { Target } from '../model/fleet.js';
import type { RunState } from '../model/run.js';
import type { PostgresStore } from '../store/postgres/postgres-store.js';
import { isWorkspaceReady, resetWorkspaceDir, restoreTree, treeOf, workspacePath } from '../workspace/workspace.js';

export interface WorkspaceStep {
  campaign: string;
  step: EngineStep;
  state: RunState;
  target: Target;
  scm: ScmAdapter;
  signal: AbortSignal;
}

/**
 * Workspaces on a worker's own disk, made portable: a run's steps go to the worker that holds its
 * workspace while that worker lives (see `run_homes`), and when a run lands on another worker — its home
 * died, or was stopped — that worker rebuilds the workspace from what the database holds: a clone at the
 * run's base commit plus the change as a binary patch saved after each change step. The rebuilt tree is
 * checked against the run's `changeTree`, so a step never runs on anything but the recorded change.
 *
 * What is not carried over is what validation steps left outside the change (ignored files such as
 * `node_modules`): a run that moves mid-path runs its later validation on a clean tree.
 */
export class PortableWorkspaces {
  /** What this worker last left in each run's workspace: the tree, and whether files differ from it. */
  private readonly known = new Map<string, { tree: string; dirty: boolean }>();

  constructor(
    private readonly store: PostgresStore,
    private readonly stateDir: string,
  ) {}

  /** Makes the workspace hold the run's change; returns whether it may differ from it (`dirty`). */
  async prepare(work: WorkspaceStep): Promise<boolean> {
    const { step, state, target, signal } = work;
    if (!step.definition.workspace || step.uses === 'git/checkout') return this.known.get(state.runId)?.dirty ?? true;
    const dir = workspacePath(this.stateDir, work.campaign, target.spec.name);
    if (!(await isWorkspaceReady(dir))) {
      this.known.delete(state.runId);
      await resetWorkspaceDir(dir);
      await work.scm.checkout({ workspace: dir, branch: target.facts.defaultBranch, signal });
      await git(dir, ['reset', '--quiet', '--hard', state.baseCommit], { signal });
    }
    const want = state.changeTree ?? (await treeOf(dir, state.baseCommit));
    const known = this.known.get(state.runId);
    if (known?.tree === want) return known.dirty;
    if ((await gitRaw(dir, ['cat-file', '-e', `${want}^{tree}`])).exitCode !== 0) await this.applyStoredChange(dir, state, want, signal);
    await restoreTree(dir, want, signal);
    this.known.set(state.runId, { tree: want, dirty: false });
    return false;
  }

  /** Remembers what the step left, and saves a change step's tree as a patch other workers can apply. */
  async finish(work: WorkspaceStep, outcome: StepOutcome): Promise<void> {
    const { step, state, target } = work;
    if (!step.definition.workspace) return;
    const event = outcome.event;
    const changeTree = event.type === 'step.succeeded' ? event.data.changeTree : undefined;
    const dir = workspacePath(this.stateDir, work.campaign, target.spec.name);
    const tree = changeTree ?? state.changeTree ?? (await treeOf(dir, state.baseCommit).catch(() => ''));
    this.known.set(state.runId, { tree, dirty: outcome.dirty });
    if (!changeTree) return;
    const file = join(tmpdir(), `flotilla-change-${randomBytes(6).toString('hex')}.patch`);
    try {
      await git(dir, ['diff', '--binary', '--full-index', '--no-renames', `--output=${file}`, state.baseCommit, changeTree]);
      const patch = await readFile(file);
      await this.store.query(`INSERT INTO ${this.store.table('run_changes')} (run_id, tree, patch) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [state.runId, changeTree, patch]);
    } finally {
      await rm(file, { force: true });
    }
  }

  /** Removes the workspaces of this worker's runs that ended merged, skipped or cancelled. */
  async collect(): Promise<number> {
    if (this.known.size === 0) return 0;
    const { rows } = await this.store.query<{ run_id: string; campaign: string; target: string }>(
      `SELECT run_id, campaign, target FROM ${this.store.table('runs')} WHERE run_id = ANY($1) AND status = 'done' AND outcome IN ('merged', 'skipped', 'cancelled')`,
      [[...this.known.keys()]],
    );
    for (const row of rows) {
      this.known.delete(row.run_id);
      await rm(workspacePath(this.stateDir, row.campaign, row.target), { recursive: true, force: true });
    }
    return rows.length;
  }

  private async applyStoredChange(dir: string, state: RunState, tree: string, signal: AbortSignal): Promise<void> {
    const { rows } = await this.store.query<{ patch: Buffer }>(`SELECT patch FROM ${this.store.table('run_changes')} WHERE run_id = $1 AND tree = $2`, [state.runId, tree]);
    const patch = rows[0]?.patch;
    if (!patch) throw new FlotillaError('internal', `run ${state.runId}: its change ${tree} is in no workspace here and not in the database`, { retryable: true });
    await restoreTree(dir, await treeOf(dir, state.baseCommit), signal);
    if (patch.length > 0) {
      const file = join(tmpdir(), `flotilla-apply-${randomBytes(6).toString('hex')}.patch`);
      try {
        await writeFile(file, patch);
        await git(dir, ['apply', '--binary', '--index', '--whitespace=nowarn', file], { signal });
      } finally {
        await rm(file, { force: true });
      }
    }
    await git(dir, ['add', '--all', '--', '.'], { signal });
    const rebuilt = await git(dir, ['write-tree'], { signal });
    if (rebuilt !== tree) throw new FlotillaError('internal', `run ${state.runId}: rebuilding its change gave tree ${rebuilt}, not ${tree}`);
  }
}
