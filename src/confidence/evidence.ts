/**
 * Everything the confidence model can be told about one change on one target, as plain data. The gate
 * step gathers it from earlier steps' outputs and the history it is given; nothing here reads a file, a
 * clock or a store, so every decision can be replayed and tested from its evidence alone.
 */

/** What `tests/run` found (its output). */
export interface TestsEvidence {
  ran: boolean;
  total: number;
  passed: number;
  failed: number;
  skipped: number;
  flaky: string[];
  preExisting: string[];
  failedByChange: string[];
  /** How the counts were read: `tap`/`junit` count tests, `exit-code` knows only pass or fail. */
  format?: 'tap' | 'junit' | 'exit-code' | 'none';
}

export interface ComplianceEvidence {
  verdict: 'block' | 'pass';
  counts: { block: number; warn: number; info: number };
  /** The blocking and warning findings' reasons, for the explanation. */
  findings: { severity: 'block' | 'warn' | 'info'; reason: string }[];
}

export interface CanaryEvidence {
  verdict: 'pass' | 'marginal' | 'fail';
  inconclusive: boolean;
  /** 0..100. */
  score: number;
}

export type ChangeKind = 'major' | 'minor' | 'patch' | 'prerelease' | 'none';

export interface ChangeEvidence {
  /** The largest version move among the change's dependency bumps; undefined when no step bumped one. */
  kind?: ChangeKind;
  /** `package from → to` of each bump, for the explanation. */
  bumps: { package: string; from: string; to: string; kind: ChangeKind }[];
  /** Files the change steps wrote. */
  files?: number;
  /** Lines added plus removed, when a step measured them. */
  lines?: number;
}

export interface ReleaseEvidence {
  package: string;
  version: string;
  /** ISO time the new version was published. */
  releasedAt: string;
}

export interface AdoptionEvidence {
  package: string;
  version: string;
  /** Targets that already run the version. */
  adopted: number;
  /** Targets the fleet has that use the package. */
  total: number;
}

/** Counts of earlier changes that went well and that did not. */
export interface TrackRecord {
  successes: number;
  failures: number;
}

export interface Evidence {
  /** The decision's time (ISO), injected: release age is measured from it. */
  now: string;
  /** 0 (most critical) … 3. */
  tier: number;
  /** Undefined when no tests/run step ran before the gate. */
  tests?: TestsEvidence;
  compliance?: ComplianceEvidence;
  canary?: CanaryEvidence;
  change?: ChangeEvidence;
  release?: ReleaseEvidence;
  adoption?: AdoptionEvidence;
  /** How this campaign went on the targets that finished before this one. */
  campaignRecord?: TrackRecord;
  /** How this target took earlier automated changes (other campaigns). */
  targetHistory?: TrackRecord;
}
