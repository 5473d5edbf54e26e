/**
 * The SCM side of Flotilla, as narrow capabilities rather than one wide "platform" interface:
 * read a repository into a workspace, publish a change, land it. Local git is the reference
 * implementation; code hosts implement the same contract.
 */

export interface CheckoutRequest {
  /** Empty folder to clone into. */
  workspace: string;
  /** The branch to start from. */
  branch: string;
  signal?: AbortSignal;
}

export interface PublishRequest {
  workspace: string;
  /** The branch the change lives on (`flotilla/<campaign>`): stable, so a retry never makes a second one. */
  branch: string;
  /** The commit in the workspace to publish. */
  commit: string;
  baseBranch: string;
  title: string;
  body: string;
  signal?: AbortSignal;
}

export interface PublishedChange {
  /** Stable id of the change on the SCM (for local git: the branch name). */
  id: string;
  branch: string;
  commit: string;
  url?: string;
}

export interface MergeRequest {
  workspace: string;
  change: PublishedChange;
  baseBranch: string;
  /** The merge commit message. */
  message: string;
  signal?: AbortSignal;
}

export interface MergeResult {
  /** The commit on the base branch that contains the change. */
  commit: string;
  /** True when the change was already on the base branch (a retry after a crash): nothing was done. */
  alreadyMerged: boolean;
}

export interface RepositoryReader {
  checkout(request: CheckoutRequest): Promise<{ commit: string }>;
}

export interface ChangePublisher {
  publishChange(request: PublishRequest): Promise<PublishedChange>;
}

export interface ChangeMerger {
  /** Lands the change on the base branch; throws a `conflict` FlotillaError when it does not merge cleanly. */
  mergeChange(request: MergeRequest): Promise<MergeResult>;
}

export interface CloseRequest {
  workspace: string;
  change: PublishedChange;
  /** Why, for the code host's comment. */
  reason: string;
  signal?: AbortSignal;
}

export interface ChangeCloser {
  /** Closes a published change that will not be merged (cancelled campaign, clean-up step); idempotent. */
  closeChange(request: CloseRequest): Promise<void>;
}

export interface RevertRequest {
  workspace: string;
  /** The change that was merged. */
  change: PublishedChange;
  /** The commit on the base branch that landed it (a merge commit, or the change itself). */
  mergeCommit: string;
  baseBranch: string;
  title: string;
  body: string;
  signal?: AbortSignal;
}

export interface ChangeReverter {
  /** Publishes a change that reverts a merged one (a revert pull/merge request); idempotent per change. */
  revertChange(request: RevertRequest): Promise<PublishedChange>;
}

/** The combined state of the checks (CI) on a change's commit; `none` when nothing reported. */
export type CheckState = 'pending' | 'success' | 'failure' | 'none';

export interface CheckResult {
  name: string;
  state: Exclude<CheckState, 'none'>;
  url?: string;
}

export interface CheckStatus {
  state: CheckState;
  checks: CheckResult[];
}

export interface CheckStatusReader {
  /** The checks reported on the change's current commit. */
  checkStatus(request: { change: PublishedChange; signal?: AbortSignal }): Promise<CheckStatus>;
}

export interface ScmAdapter extends RepositoryReader, ChangePublisher, ChangeMerger {
  readonly kind: string;
  closeChange?: ChangeCloser['closeChange'];
  revertChange?: ChangeReverter['revertChange'];
  checkStatus?: CheckStatusReader['checkStatus'];
}
