import { z } from 'zod';
import type { EventMatch, ExternalEvent, MappedPayload } from './external-event.js';

/**
 * GitHub webhook payloads → Flotilla events. The schemas are tolerant (external data: unknown fields
 * are ignored, optional ones may be null) and name only what the mapping reads.
 *
 * | GitHub event (action) | Flotilla event |
 * | --- | --- |
 * | `check_suite` (completed) | `ci.completed` |
 * | `status` (success, failure, error) | `ci.completed` (`error` → conclusion `failure`) |
 * | `pull_request` (closed, merged) | `change.merged` |
 * | `pull_request` (closed, not merged) | `change.closed` |
 * | `pull_request_review` (submitted, approved) | `change.approved` |
 * | `pull_request_review` (submitted, changes requested) | `change.changes-requested` |
 *
 * Anything else is ignored (GitHub sends many kinds and actions a hook may be subscribed to).
 */

const repository = z.object({
  full_name: z.string().min(1),
  clone_url: z.string().nullish(),
  ssh_url: z.string().nullish(),
  html_url: z.string().nullish(),
});

const checkSuite = z.object({
  action: z.string(),
  check_suite: z.object({
    head_sha: z.string().min(1),
    head_branch: z.string().nullish(),
    conclusion: z.string().nullish(),
    url: z.string().nullish(),
  }),
  repository,
});

const status = z.object({
  sha: z.string().min(1),
  state: z.string(),
  context: z.string().nullish(),
  target_url: z.string().nullish(),
  description: z.string().nullish(),
  repository,
});

const pullRequestFields = z.object({
  number: z.number().int(),
  html_url: z.string().nullish(),
  head: z.object({ ref: z.string().min(1), sha: z.string().min(1) }),
});

const pullRequest = z.object({
  action: z.string(),
  pull_request: pullRequestFields.extend({ merged: z.boolean().nullish(), merge_commit_sha: z.string().nullish() }),
  repository,
});

const pullRequestReview = z.object({
  action: z.string(),
  review: z.object({
    state: z.string(),
    commit_id: z.string().nullish(),
    html_url: z.string().nullish(),
    body: z.string().nullish(),
    user: z.object({ login: z.string() }).nullish(),
  }),
  pull_request: pullRequestFields,
  repository,
});

/** What the GitHub style knows of a delivery besides its body. */
export interface GitHubDelivery {
  /** `X-GitHub-Event`. */
  event: string;
  deliveryId: string;
  /** The hook source name the request came through. */
  source: string;
}

/** Maps one GitHub delivery to Flotilla events, or says why it is ignored or malformed. */
export function mapGitHubEvent(payload: unknown, delivery: GitHubDelivery): MappedPayload {
  switch (delivery.event) {
    case 'check_suite':
      return parsed(checkSuite, payload, delivery, (body) => {
        if (body.action !== 'completed') return ignored(delivery, body.action);
        const suite = body.check_suite;
        const data = { commit: suite.head_sha, conclusion: suite.conclusion ?? 'neutral', ...optional('url', suite.url), repository: repositoryData(body.repository) };
        return events(delivery, 'ci.completed', data, match(body.repository, suite.head_branch, suite.head_sha), `${data.conclusion} for ${short(suite.head_sha)}`);
      });
    case 'status':
      return parsed(status, payload, delivery, (body) => {
        if (!['success', 'failure', 'error'].includes(body.state)) return ignored(delivery, body.state);
        const conclusion = body.state === 'error' ? 'failure' : body.state;
        const data = { commit: body.sha, conclusion, state: body.state, ...optional('context', body.context), ...optional('url', body.target_url), repository: repositoryData(body.repository) };
        return events(delivery, 'ci.completed', data, match(body.repository, undefined, body.sha), `${body.context ?? 'status'} ${body.state} for ${short(body.sha)}`);
      });
    case 'pull_request':
      return parsed(pullRequest, payload, delivery, (body) => {
        if (body.action !== 'closed') return ignored(delivery, body.action);
        const pr = body.pull_request;
        const merged = pr.merged === true;
        const data = { number: pr.number, merged, commit: pr.head.sha, ...optional('mergeCommit', merged ? pr.merge_commit_sha : undefined), ...optional('url', pr.html_url), repository: repositoryData(body.repository) };
        return events(delivery, merged ? 'change.merged' : 'change.closed', data, match(body.repository, pr.head.ref, undefined), `#${pr.number} closed${merged ? ' (merged)' : ' without merging'}`);
      });
    case 'pull_request_review':
      return parsed(pullRequestReview, payload, delivery, (body) => {
        const state = body.review.state.toLowerCase();
        if (body.action !== 'submitted') return ignored(delivery, body.action);
        const type = state === 'approved' ? 'change.approved' : state === 'changes_requested' ? 'change.changes-requested' : undefined;
        if (!type) return ignored(delivery, `submitted ${state}`);
        const pr = body.pull_request;
        const reviewer = body.review.user?.login;
        const data = {
          number: pr.number,
          commit: body.review.commit_id ?? pr.head.sha,
          ...optional('reviewer', reviewer),
          ...optional('body', body.review.body),
          ...optional('url', body.review.html_url ?? pr.html_url),
          repository: repositoryData(body.repository),
        };
        return events(delivery, type, data, match(body.repository, pr.head.ref, undefined), `#${pr.number} ${state.replace('_', ' ')}${reviewer ? ` by ${reviewer}` : ''}`);
      });
    default:
      return { kind: 'ignored', reason: `GitHub event "${delivery.event}" is not used by Flotilla` };
  }
}

function parsed<S extends z.ZodType>(schema: S, payload: unknown, delivery: GitHubDelivery, map: (body: z.output<S>) => MappedPayload): MappedPayload {
  const result = schema.safeParse(payload);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'payload';
    return { kind: 'malformed', reason: `GitHub ${delivery.event} payload: ${where}: ${issue?.message ?? 'invalid'}` };
  }
  return map(result.data);
}

function events(delivery: GitHubDelivery, type: string, data: Record<string, unknown>, eventMatch: EventMatch, what: string): MappedPayload {
  const event: ExternalEvent = {
    source: delivery.source,
    type,
    match: eventMatch,
    data,
    deliveryId: delivery.deliveryId,
    cause: `github ${delivery.event}: ${what} in ${eventMatch.repo ?? 'a repository'} (delivery ${delivery.deliveryId})`,
  };
  return { kind: 'events', events: [event] };
}

function ignored(delivery: GitHubDelivery, action: string): MappedPayload {
  return { kind: 'ignored', reason: `GitHub ${delivery.event} "${action}" is not used by Flotilla` };
}

function match(repo: z.output<typeof repository>, branch: string | null | undefined, commit: string | undefined): EventMatch {
  const result: EventMatch = { repo: repo.full_name.toLowerCase() };
  if (branch) result.branch = branch;
  if (commit) result.commit = commit;
  return result;
}

function repositoryData(repo: z.output<typeof repository>): Record<string, string> {
  return { fullName: repo.full_name, ...optional('cloneUrl', repo.clone_url), ...optional('sshUrl', repo.ssh_url), ...optional('htmlUrl', repo.html_url) };
}

function optional<K extends string>(key: K, value: string | null | undefined): Partial<Record<K, string>> {
  return value ? ({ [key]: value } as Record<K, string>) : {};
}

function short(sha: string): string {
  return sha.slice(0, 7);
}
