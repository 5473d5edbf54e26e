import { FlotillaError } from '../../model/errors.js';
import type { HostLog, RetryPolicy } from './host-retry.js';

/** What the GitHub and GitLab adapters share: the token, the merge policy and what to tell the host. */
export interface HostedScmOptions {
  /** The API token; default: the environment's GITHUB_TOKEN or GITLAB_TOKEN. Never logged. */
  token?: string;
  /** Where the token is looked up when `token` is not given; default: process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * When branch protection blocks the merge (required checks pending, required reviews), let the host
   * merge once they pass (GitHub auto-merge, GitLab merge when the pipeline succeeds) and wait for it,
   * instead of failing the merge as blocked.
   */
  autoMerge?: boolean;
  mergeMethod?: 'merge' | 'squash' | 'rebase';
  /** Labels put on every change. */
  labels?: string[];
  /** Request reviews from the CODEOWNERS of the changed files; default true. */
  requestReviewers?: boolean;
  retry?: Partial<RetryPolicy>;
  /** Where retries and actions are reported (a step logger fits); default: nowhere. */
  log?: HostLog;
  /** How often a merge waiting for the host (auto-merge, mergeability) looks again; default 10 s. */
  pollMs?: number;
}

/** The token from the options or the environment, or a bad-input error that names the variable. */
export function tokenFrom(options: HostedScmOptions, variable: string): string {
  const token = options.token ?? (options.env ?? process.env)[variable];
  if (!token) throw new FlotillaError('bad-input', `${variable} is not set: the adapter needs a token to reach the code host`);
  return token;
}

/** Waits `ms`, or throws when the signal aborts. */
export function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      return;
    }
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      },
      { once: true },
    );
  });
}
