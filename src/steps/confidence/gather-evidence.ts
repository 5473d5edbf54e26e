import { z } from 'zod';
import type { CanaryEvidence, ChangeEvidence, ComplianceEvidence, ReleaseEvidence, TestsEvidence } from '../../confidence/evidence.js';
import { largestKind } from '../../confidence/signals/change-kind.js';

/** Outputs of earlier steps, by step id (`ctx.steps`). */
export type StepOutputs = Readonly<Record<string, { outputs: Record<string, unknown> }>>;

/** Which earlier steps to read each kind of evidence from; by default every step whose output has the shape. */
export interface EvidenceSources {
  tests?: string[] | undefined;
  compliance?: string[] | undefined;
  canary?: string[] | undefined;
  change?: string[] | undefined;
}

const testsShape = z.looseObject({
  ran: z.boolean(),
  total: z.number(),
  passed: z.number(),
  failed: z.number(),
  skipped: z.number(),
  flaky: z.array(z.string()),
  preExisting: z.array(z.string()),
  failedByChange: z.array(z.string()),
  format: z.enum(['tap', 'junit', 'exit-code', 'none']).optional(),
});
const complianceShape = z.looseObject({
  verdict: z.enum(['block', 'pass']),
  findings: z.array(z.looseObject({ severity: z.enum(['block', 'warn', 'info']), reason: z.string() })),
  counts: z.looseObject({ block: z.number(), warn: z.number(), info: z.number() }),
  /** Not in compliance/check's output yet; read when a version adds the diff's size. */
  totals: z.looseObject({ files: z.number(), added: z.number(), removed: z.number() }).optional(),
});
const canaryShape = z.looseObject({ verdict: z.enum(['pass', 'marginal', 'fail']), inconclusive: z.boolean(), score: z.number() });
const kinds = z.enum(['major', 'minor', 'patch', 'prerelease', 'none']);
const bumpShape = z.looseObject({
  package: z.string(),
  from: z.string(),
  to: z.string(),
  kind: kinds,
  files: z.array(z.string()),
  releasedAt: z.string().optional(),
  publishedAt: z.string().optional(),
});
const filesShape = z.looseObject({ files: z.array(z.string()) });

export interface GatheredEvidence {
  tests?: TestsEvidence;
  compliance?: ComplianceEvidence;
  canary?: CanaryEvidence;
  change?: ChangeEvidence;
  release?: ReleaseEvidence;
  /** Which step each piece came from, for the decision trail. */
  from: Record<string, string[]>;
}

function pick<T>(steps: StepOutputs, ids: readonly string[] | undefined, shape: z.ZodType<T>): [string, T][] {
  const found: [string, T][] = [];
  for (const [id, step] of Object.entries(steps)) {
    if (ids !== undefined && !ids.includes(id)) continue;
    const parsed = shape.safeParse(step.outputs);
    if (parsed.success) found.push([id, parsed.data]);
  }
  return found;
}

/**
 * Reads the evidence the gate can use from earlier steps' outputs. Steps are recognised by the shape of
 * their output, not their id — a campaign names its steps as it likes, and a user step that returns a
 * tests/run-shaped output is tests evidence too — unless `sources` names them. Several of a kind combine:
 * test counts add up, the worst canary and compliance verdict count, the largest version move counts.
 */
export function gatherEvidence(steps: StepOutputs, sources: EvidenceSources = {}): GatheredEvidence {
  const from: Record<string, string[]> = {};
  const result: GatheredEvidence = { from };

  const tests = pick(steps, sources.tests, testsShape);
  if (tests.length > 0) {
    from.tests = tests.map(([id]) => id);
    const all = tests.map(([, output]) => output);
    result.tests = {
      ran: all.some((output) => output.ran),
      total: sum(all.map((output) => output.total)),
      passed: sum(all.map((output) => output.passed)),
      failed: sum(all.map((output) => output.failed)),
      skipped: sum(all.map((output) => output.skipped)),
      flaky: all.flatMap((output) => output.flaky),
      preExisting: all.flatMap((output) => output.preExisting),
      failedByChange: all.flatMap((output) => output.failedByChange),
      format: all.find((output) => output.ran)?.format ?? 'none',
    };
  }

  const compliance = pick(steps, sources.compliance, complianceShape);
  if (compliance.length > 0) {
    from.compliance = compliance.map(([id]) => id);
    const all = compliance.map(([, output]) => output);
    const counts = { block: sum(all.map((o) => o.counts.block)), warn: sum(all.map((o) => o.counts.warn)), info: sum(all.map((o) => o.counts.info)) };
    result.compliance = { verdict: all.some((o) => o.verdict === 'block') ? 'block' : 'pass', counts, findings: all.flatMap((o) => o.findings) };
  }

  const canaries = pick(steps, sources.canary, canaryShape);
  if (canaries.length > 0) {
    from.canary = canaries.map(([id]) => id);
    const order = { fail: 0, marginal: 1, pass: 2 } as const;
    const conclusive = canaries.map(([, output]) => output).filter((output) => !output.inconclusive);
    const worst = [...(conclusive.length > 0 ? conclusive : canaries.map(([, output]) => output))].sort((a, b) => order[a.verdict] - order[b.verdict] || a.score - b.score)[0];
    if (worst) result.canary = { verdict: worst.verdict, inconclusive: worst.inconclusive, score: worst.score };
  }

  const bumps = pick(steps, sources.change, bumpShape);
  const changed = pick(steps, sources.change, filesShape);
  if (bumps.length > 0 || changed.length > 0) {
    from.change = [...new Set([...bumps, ...changed].map(([id]) => id))];
    const files = new Set(changed.flatMap(([, output]) => output.files));
    const list = bumps.map(([, bump]) => ({ package: bump.package, from: bump.from, to: bump.to, kind: bump.kind }));
    const change: ChangeEvidence = { bumps: list, files: files.size };
    const kind = largestKind(list.map((bump) => bump.kind));
    if (kind !== undefined) change.kind = kind;
    const totals = compliance.map(([, output]) => output.totals).find((value) => value !== undefined);
    if (totals) change.lines = totals.added + totals.removed;
    result.change = change;
    const released = bumps.find(([, bump]) => (bump.releasedAt ?? bump.publishedAt) !== undefined)?.[1];
    const at = released?.releasedAt ?? released?.publishedAt;
    if (released && at) result.release = { package: released.package, version: released.to, releasedAt: at };
  }
  return result;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
