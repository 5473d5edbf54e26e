import { isAbsolute } from 'node:path';
import { z } from 'zod';
import type { Finding } from '../../compliance/check.js';
import { collectChangeFacts } from '../../compliance/collect-change-facts.js';
import { evaluatePolicy } from '../../compliance/evaluate-policy.js';
import { findingReason } from '../../compliance/finding-text.js';
import { checkTime } from '../../compliance/policy-files.js';
import { git } from '../../git/git.js';
import { badInput } from '../../model/errors.js';
import { defineStep, failRun, needsHuman, type StepContext } from '../../sdk/step.js';
import { cachedAdvisories, cachedPolicy } from './policy-cache.js';

const input = z.strictObject({
  /**
   * The policy.yaml, relative to the campaign's folder. Default: the campaign's `policy:`. Resolved (and
   * loaded once, so a mistake stops the campaign before it starts) when the campaign is loaded.
   */
  policy: z.string().min(1).optional(),
  /** An OSV advisory database (a folder or a file), relative to the campaign's folder; default: the policy's `vulnerabilities.database`. */
  advisories: z.string().min(1).optional(),
});

const findingSchema = z.strictObject({
  check: z.string(),
  rule: z.string().optional(),
  severity: z.enum(['block', 'warn', 'info']),
  reason: z.string(),
  message: z.string(),
  file: z.string().optional(),
  line: z.number().int().optional(),
});

const output = z.strictObject({
  /** `block` when any finding blocks (the run then ends as the policy's `onBlock` says), else `pass`. */
  verdict: z.enum(['block', 'pass']),
  /** Every finding, checks first (alphabetically), then the policy's rules. */
  findings: z.array(findingSchema),
  counts: z.strictObject({ block: z.number().int(), warn: z.number().int(), info: z.number().int() }),
});

/** The event that records a check's findings in the run's history (`flotilla events`). */
export const FINDINGS_EVENT = 'compliance.findings';

/**
 * Checks the change against the compliance policy: secrets, licences, known vulnerabilities, denied
 * versions, protected paths, freeze windows, diff size and the policy's CEL rules. It reads the diff
 * between the base commit and the change tree and the repository's metadata only — it never runs code of
 * the target — and commits nothing: the change tree is wrapped in a commit object no branch points to.
 *
 * A blocking finding ends the run as `needs-human` (or `failed` with `onBlock: fail`), one reason per
 * blocking finding; warnings are logged and the run goes on. The findings are kept as a
 * `compliance.findings` event and as the step's output, for a later confidence score.
 */
export const complianceCheck = defineStep({
  id: 'compliance/check',
  description:
    'Checks the change against the compliance policy (secrets, licences, vulnerabilities, protected paths, freeze windows, diff size, CEL rules) and holds it when a finding blocks.',
  kind: 'validate',
  workspace: true,
  input,
  output,
  examples: [
    { title: "Check against the campaign's policy: (the usual case)", with: {} },
    { title: 'Check against a given policy and advisory database', with: { policy: 'policy/strict.yaml', advisories: 'osv/npm' } },
  ],
  async run(params, ctx) {
    if (params.policy === undefined || !isAbsolute(params.policy)) {
      throw badInput(
        'compliance/check has no policy resolved against the campaign folder: set `policy:` in the campaign or `with: { policy: FILE }`, and load the campaign with loadCampaign',
        { field: 'policy' },
      );
    }
    const policy = await cachedPolicy(params.policy);
    const advisories = await cachedAdvisories(policy, params.advisories);
    const spec = ctx.target.spec;
    const facts = await collectChangeFacts({
      repoDir: ctx.workspace,
      baseRef: ctx.baseCommit,
      headRef: await changeCommit(ctx),
      target: { name: spec.name, ...(spec.owner === undefined ? {} : { owner: spec.owner }), tier: spec.tier, tags: spec.tags },
      campaign: { name: ctx.campaign.name },
      now: checkTime(ctx.env),
      signal: ctx.signal,
    });
    const result = evaluatePolicy(policy, facts, advisories === undefined ? {} : { advisories });
    const verdict = { verdict: result.verdict, findings: result.findings, counts: result.counts };
    ctx.emit(FINDINGS_EVENT, { verdict: result.verdict, findings: result.findings });
    for (const finding of result.findings) {
      const level = finding.severity === 'block' ? 'error' : finding.severity === 'warn' ? 'warn' : 'info';
      ctx.log[level](findingReason(finding), { severity: finding.severity, reason: finding.reason });
    }
    ctx.log.info(`compliance verdict: ${result.verdict}`, { ...result.counts, files: facts.files.length, dependencies: facts.dependencies.length });
    if (result.verdict === 'pass') return verdict;
    const reasons = blockingReasons(result.findings);
    return result.onBlock === 'fail' ? failRun(reasons, verdict) : needsHuman(reasons, verdict);
  },
});

/** Reasons a run summary can still show; the event and the output keep every finding. */
export const MAX_REASONS = 20;

/**
 * One reason per blocking finding, naming it. A change that trips thousands (a generated file full of
 * keys) is cut at {@link MAX_REASONS}, with a last reason that says how many more and where they are.
 */
function blockingReasons(findings: readonly Finding[]): string[] {
  const reasons = findings.filter((finding) => finding.severity === 'block').map(findingReason);
  if (reasons.length <= MAX_REASONS) return reasons;
  const more = reasons.length - (MAX_REASONS - 1);
  return [...reasons.slice(0, MAX_REASONS - 1), `compliance: ${more} more blocking findings (flotilla events shows them all)`];
}

/**
 * The change as a commit, for git diff: a commit object holding the change tree on top of the base,
 * with a fixed date so a retry makes the same object. No branch or ref points to it (git's gc removes it).
 * Before any change step ran there is no change: the base itself.
 */
async function changeCommit(ctx: StepContext): Promise<string> {
  if (ctx.changeTree === undefined) return ctx.baseCommit;
  const options = { signal: ctx.signal };
  const date = await git(ctx.workspace, ['show', '-s', '--format=%cI', ctx.baseCommit], options);
  return git(ctx.workspace, ['commit-tree', ctx.changeTree, '-p', ctx.baseCommit, '-m', 'flotilla: compliance check of the change'], {
    ...options,
    env: { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
  });
}
