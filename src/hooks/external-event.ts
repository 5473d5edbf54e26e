/**
 * An event from outside Flotilla — a CI result, a review, a merge — on its way to the runs it concerns.
 *
 * Webhooks only translate: they never decide which run an event belongs to. The engine routes an
 * event by `campaign` + `target` when the sender knows them (the generic format, `flotilla emit`), by
 * `match.branch` (`flotilla/<campaign>`) + `match.repo` for a code host's events about a change, or by
 * `match.commit` for CI results.
 */
export interface ExternalEvent {
  /** The hook source it came through (`github`, `generic`, or a configured name). */
  source: string;
  /** `noun.verb-in-past-tense`, such as `ci.completed` or `change.approved`. */
  type: string;
  campaign?: string;
  target?: string;
  match?: EventMatch;
  data: Record<string, unknown>;
  /** The sender's delivery id (the replay key), when it sent one. */
  deliveryId?: string;
  /** Why the event exists, in words, for `flotilla events`: "github pull_request #2 closed (merged)". */
  cause: string;
}

/** How a code host's event finds its run when the sender does not know Flotilla's names. */
export interface EventMatch {
  /** The change's branch; Flotilla's branches are `flotilla/<campaign>`. */
  branch?: string;
  commit?: string;
  /** The repository as `owner/name` (see {@link repoSlug}). */
  repo?: string;
}

/** The event types Flotilla's own hook mappings produce; the generic format may send any other. */
export const FLOTILLA_EVENT_TYPES = ['ci.completed', 'change.approved', 'change.changes-requested', 'change.merged', 'change.closed'] as const;
export type FlotillaEventType = (typeof FLOTILLA_EVENT_TYPES)[number];

/**
 * What a payload mapping decided: events to deliver, a payload Flotilla does not use (a code host sends
 * many kinds; answered 202 so it is not retried), or a payload of a kind Flotilla uses that is malformed
 * (answered 422, so the sender's delivery log shows the problem).
 */
export type MappedPayload =
  | { kind: 'events'; events: ExternalEvent[] }
  | { kind: 'ignored'; reason: string }
  | { kind: 'malformed'; reason: string };

const BRANCH_PREFIX = 'flotilla/';

/** The campaign a Flotilla branch belongs to (`flotilla/bump-debug` → `bump-debug`), else undefined. */
export function campaignOfBranch(branch: string | undefined): string | undefined {
  if (!branch?.startsWith(BRANCH_PREFIX)) return undefined;
  const name = branch.slice(BRANCH_PREFIX.length);
  return /^[a-z0-9-]+$/.test(name) ? name : undefined;
}

/**
 * A repository as lower-case `owner/name`, from a code host's `full_name` or any git URL
 * (`https://github.com/Octo/Hello.git`, `git@github.com:octo/hello.git`), so a router can compare an
 * event's `match.repo` with a fleet target's `repo`. Undefined for a local path.
 */
export function repoSlug(repo: string): string | undefined {
  const trimmed = repo.trim().replace(/\.git$/, '').replace(/\/+$/, '');
  const scp = /^[\w.-]+@[\w.-]+:(.+)$/.exec(trimmed);
  let path: string | undefined = scp?.[1];
  if (path === undefined && /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    try {
      path = new URL(trimmed).pathname;
    } catch {
      return undefined;
    }
  }
  if (path === undefined) path = /^[\w.-]+\/[\w.-]+$/.test(trimmed) ? trimmed : undefined;
  const parts = path?.split('/').filter(Boolean) ?? [];
  if (parts.length < 2) return undefined;
  return parts.slice(-2).join('/').toLowerCase();
}
