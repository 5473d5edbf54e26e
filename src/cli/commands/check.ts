import type { Command } from 'commander';
import { collectChangeFacts } from '../../compliance/collect-change-facts.js';
import { evaluatePolicy, type PolicyVerdict } from '../../compliance/evaluate-policy.js';
import { findingPlace, findingSource } from '../../compliance/finding-text.js';
import { resolveLocalChange, type LocalChange } from '../../compliance/local-change.js';
import { checkTime, readAdvisoriesFor, readPolicyLayers } from '../../compliance/policy-files.js';
import { badInput } from '../../model/errors.js';
import { EXIT } from '../exit-codes.js';
import { color, printJson, table, type Output } from '../output.js';

interface CheckOptions {
  policy: string[];
  repo: string;
  base?: string;
  head?: string;
  worktree?: boolean;
  advisories?: string;
  tier?: string;
  owner?: string;
  tag: string[];
  campaign: string;
  json?: boolean;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/**
 * `flotilla check`: the compliance checks of `compliance/check` on any local change, so a person (or a
 * CI job) sees before pushing what a campaign's policy would say. Exit 0 on pass (warnings allowed), 1 on
 * block, 2 on bad input — a malformed policy or a CEL rule that does not compile is thrown as the
 * located FlotillaError and printed by `runCli` as `flotilla: file:line:column field: reason`.
 * The time comes from `FLOTILLA_NOW` when set, read here at the edge, so freeze windows can be tried.
 */
export function registerCheck(program: Command, output: Output): void {
  program
    .command('check')
    .description('Run the compliance checks of a policy on a local change (exit 0 pass, 1 block, 2 bad input)')
    .option('--policy <file>', 'policy.yaml; give it twice to layer a campaign override on a fleet policy (default: ./policy.yaml)', collect, [])
    .option('--repo <dir>', 'the git repository', '.')
    .option('--base <ref>', 'what the change starts from (default: origin/HEAD, else main, else master); the diff starts at the merge base')
    .option('--head <ref>', 'the change (default: HEAD; committed work only)')
    .option('--worktree', 'also check the uncommitted changes (tracked and untracked files), without touching the index')
    .option('--advisories <path>', "an OSV advisory database (folder or file); default: the policy's vulnerabilities.database")
    .option('--tier <n>', 'the target tier the policy sees (0 most critical … 3), for tiered freeze windows and rules')
    .option('--owner <name>', 'the owner the policy sees')
    .option('--tag <tag>', 'a tag the policy sees (repeatable)', collect, [])
    .option('--campaign <name>', 'the campaign name the policy sees', 'local')
    .option('--json', 'print the verdict and findings as JSON')
    .action(async (options: CheckOptions) => {
      const now = checkTime(process.env);
      const tier = tierOf(options.tier);
      const files = options.policy.length > 0 ? options.policy : ['policy.yaml'];
      const policy = await readPolicyLayers(files);
      const advisories = await readAdvisoriesFor(policy, options.advisories);
      const change = await resolveLocalChange({
        repoDir: options.repo,
        ...(options.base === undefined ? {} : { base: options.base }),
        ...(options.head === undefined ? {} : { head: options.head }),
        ...(options.worktree ? { worktree: true } : {}),
      });
      const facts = await collectChangeFacts({
        repoDir: change.repoDir,
        baseRef: change.baseCommit,
        headRef: change.headCommit,
        target: { name: change.name, ...(options.owner ? { owner: options.owner } : {}), ...(tier === undefined ? {} : { tier }), tags: options.tag },
        campaign: { name: options.campaign },
        now,
      });
      const verdict = evaluatePolicy(policy, facts, advisories === undefined ? {} : { advisories });
      if (options.json) {
        printJson(output, {
          target: change.name,
          base: { ref: change.baseRef, commit: change.baseCommit },
          head: { ref: change.headRef, commit: change.headCommit },
          policy: files,
          now,
          ...verdict,
        });
      } else {
        output.out(renderCheck(change, { files: facts.files.length, dependencies: facts.dependencies.length }, verdict));
      }
      process.exitCode = verdict.verdict === 'block' ? EXIT.attention : EXIT.ok;
    });
}

function tierOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const tier = Number(text);
  if (!/^[0-3]$/.test(text.trim()) || !Number.isInteger(tier)) throw badInput(`--tier must be 0, 1, 2 or 3, not "${text}"`, { field: '--tier' });
  return tier;
}

const SEVERITY_COLOR = { block: color.red, warn: color.yellow, info: color.dim } as const;

/** The findings as a table, with what was compared and the verdict. */
export function renderCheck(change: LocalChange, size: { files: number; dependencies: number }, verdict: PolicyVerdict): string {
  const range = `${change.baseRef} (${change.baseCommit.slice(0, 10)}) → ${change.headRef} (${change.headCommit.slice(0, 10)})`;
  const lines = [`${color.bold(change.name)}: ${range}: ${count(size.files, 'file')}, ${count(size.dependencies, 'dependency change')}`];
  if (verdict.findings.length > 0) {
    const rows = verdict.findings.map((finding) => [
      SEVERITY_COLOR[finding.severity](finding.severity),
      findingSource(finding),
      finding.reason,
      findingPlace(finding) || '-',
      finding.message,
    ]);
    lines.push('', table([['SEVERITY', 'CHECK', 'REASON', 'WHERE', 'MESSAGE'], ...rows]));
  } else {
    lines.push('', 'no findings');
  }
  const { block, warn, info } = verdict.counts;
  const word = verdict.verdict === 'block' ? color.red('block') : color.green('pass');
  const then = verdict.verdict === 'block' ? ` (a campaign run would end ${verdict.onBlock === 'fail' ? 'failed' : 'needs-human'})` : '';
  lines.push('', `verdict: ${word}${then}: ${block} blocking, ${count(warn, 'warning')}, ${count(info, 'note')}`);
  return lines.join('\n');
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
