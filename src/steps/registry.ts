import type { AnyStep } from '../sdk/step.js';
import { canaryJudge } from '../canary/steps/canary-judge.js';
import { canaryLocal } from '../canary/steps/canary-local.js';
import { approvalStep } from './control/approval.js';
import { changeAwaitReview } from './change/await-review.js';
import { changeMerge } from './change/merge.js';
import { changeOpen } from './change/open.js';
import { changeRevert } from './change/revert.js';
import { ciAwait } from './ci/await.js';
import { codemodAstGrep } from './codemod/ast-grep.js';
import { codemodReplace } from './codemod/replace.js';
import { codemodScript } from './codemod/script.js';
import { complianceCheck } from './compliance/check.js';
import { confidenceGate } from './confidence/gate.js';
import { gitCheckout } from './git/checkout.js';
import { goBumpDependency } from './go/bump-dependency.js';
import { gradleBumpDependency } from './gradle/bump-dependency.js';
import { mavenBumpDependency } from './maven/bump-dependency.js';
import { npmBumpDependency } from './npm/bump-dependency.js';
import { pipBumpDependency } from './pip/bump-dependency.js';
import { runCommand } from './run/run.js';
import { testsRun } from './tests/run.js';
import { waitStep } from './control/wait.js';

/** Every built-in step, alphabetically by id. Adding a step means adding it here: nothing is scanned. */
export const BUILT_IN_STEPS: readonly AnyStep[] = [
  approvalStep,
  canaryJudge,
  canaryLocal,
  changeAwaitReview,
  changeMerge,
  changeOpen,
  changeRevert,
  ciAwait,
  codemodAstGrep,
  codemodReplace,
  codemodScript,
  complianceCheck,
  confidenceGate,
  gitCheckout,
  goBumpDependency,
  gradleBumpDependency,
  mavenBumpDependency,
  npmBumpDependency,
  pipBumpDependency,
  runCommand,
  testsRun,
  waitStep,
];

/** The registry a campaign is checked against: built-ins plus the steps a campaign loads. */
export function stepRegistry(extra: readonly AnyStep[] = []): ReadonlyMap<string, AnyStep> {
  const registry = new Map<string, AnyStep>();
  for (const step of [...BUILT_IN_STEPS, ...extra]) {
    if (registry.has(step.id)) throw new Error(`two steps have the id ${step.id}`);
    registry.set(step.id, step);
  }
  return registry;
}
