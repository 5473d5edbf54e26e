/**
 * The compliance capability: facts about a change, built-in checks, and policy.yaml with CEL rules.
 * Everything here reads the diff and metadata only; nothing executes code from the target.
 */
export {
  changeFactsSchema,
  changeTotals,
  type AddedLine,
  type ChangeFacts,
  type ChangeTarget,
  type DependencyChange,
  type FileChange,
  type FileStatus,
  type Hunk,
  type SemverKind,
} from './change-facts.js';
export { parseUnifiedDiff } from './parse-unified-diff.js';
export { diffDependencies, semverKind } from './diff-dependencies.js';
export { collectChangeFacts, type CollectChangeFactsOptions } from './collect-change-facts.js';
export type { Check, CheckEnv, CheckId, Finding, Severity } from './check.js';
export { CHECKS, findCheck } from './checks.js';
export { loadAdvisories } from './load-advisories.js';
export type { OsvAdvisory } from './osv.js';
export { loadPolicy, mergePolicies, type CheckSetting, type OnBlock, type Policy, type PolicyRule } from './policy.js';
export { evaluatePolicy, type PolicyVerdict } from './evaluate-policy.js';
export { benchCompliance, type ComplianceBenchResult } from './bench.js';
export { findingPlace, findingReason, findingSource } from './finding-text.js';
export {
  advisoryLocation,
  checkTime,
  NOW_VARIABLE,
  readAdvisoriesFor,
  readPolicyFile,
  readPolicyFileSync,
  readPolicyLayers,
} from './policy-files.js';
