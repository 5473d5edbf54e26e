import { statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { advisoryLocation, readPolicyFileSync } from '../../compliance/policy-files.js';
import type { Policy } from '../../compliance/policy.js';
import type { CompiledStep } from '../../config/load-campaign.js';
import { siteAt, type YamlPath, type YamlSource } from '../../config/yaml-source.js';
import { badInputAt, locationAt } from '../../expr/site.js';
import { isTemplated } from '../../expr/template.js';
import type { CampaignSpec } from '../../model/campaign.js';
import { isFlotillaError, type FlotillaError } from '../../model/errors.js';
import { complianceCheck } from './check.js';

/**
 * What campaign loading does for compliance, so a policy mistake stops `flotilla run` before the first
 * target (exit 2, with the policy file's line and column) instead of failing every run:
 *
 * - the policy is found, explicitly: a `compliance/check` step's `with.policy`, else the campaign's
 *   `policy:`; both relative to the campaign's folder. There is no implicit lookup: a campaign with a
 *   `compliance/check` step and neither is an error at the step;
 * - the policy is loaded once (schema, check params, every CEL rule compiled and type-checked), and the
 *   advisory database it uses must exist;
 * - the step's `with.policy` and `with.advisories` are replaced by absolute paths, because the step runs
 *   without knowing where the campaign file was.
 *
 * A campaign's `policy:` is checked even when no step uses it, since it was written to be used.
 */
export function prepareCompliance(
  spec: CampaignSpec,
  source: YamlSource,
  dir: string,
  steps: readonly CompiledStep[],
): { errors: FlotillaError[]; steps: CompiledStep[] } {
  const errors: FlotillaError[] = [];
  const loaded = new Map<string, Policy | undefined>();
  const load = (raw: string, where: YamlPath): { file: string; policy: Policy | undefined } => {
    const file = resolve(dir, raw);
    if (!loaded.has(file)) {
      let policy: Policy | undefined;
      try {
        policy = readPolicyFileSync(file, displayPath(source, raw));
      } catch (error) {
        if (!isFlotillaError(error)) throw error;
        // A missing file is the campaign's mistake (point at the field); any other is inside the policy.
        errors.push(error.code === 'not-found' ? errorAt(source, where, error.message) : error);
      }
      loaded.set(file, policy);
    }
    return { file, policy: loaded.get(file) };
  };

  if (spec.policy !== undefined) load(spec.policy, ['policy']);
  const prepared = steps.map((step) => {
    if (step.definition.id !== complianceCheck.id) return step;
    const index = spec.steps.findIndex((item) => item.id === step.id);
    const given = step.with.policy;
    const advisories = step.with.advisories;
    for (const [key, value] of [['policy', given], ['advisories', advisories]] as const) {
      if (isTemplated(value)) errors.push(errorAt(source, ['steps', index, 'with', key], `${key} must be a plain path: it is read when the campaign is loaded, before any \${{ }} can be resolved`));
    }
    const raw = typeof given === 'string' ? given : spec.policy;
    if (raw === undefined || isTemplated(raw)) {
      if (raw === undefined) {
        errors.push(errorAt(source, ['steps', index, 'uses'], 'compliance/check needs a policy: set `policy:` in the campaign (a policy.yaml relative to the campaign file) or `with: { policy: FILE }` on the step'));
      }
      return step;
    }
    const { file, policy } = load(raw, typeof given === 'string' ? ['steps', index, 'with', 'policy'] : ['policy']);
    const database = typeof advisories === 'string' && !isTemplated(advisories) ? resolve(dir, advisories) : undefined;
    // A database given on the step must exist even if the policy does not check vulnerabilities (yet).
    if (database !== undefined && !exists(database)) {
      errors.push(errorAt(source, ['steps', index, 'with', 'advisories'], `advisory database not found: ${displayPath(source, String(advisories))}`));
    }
    const named = database === undefined && policy ? advisoryLocation(policy) : undefined;
    if (named !== undefined && !exists(named)) {
      errors.push(badInputAt(`advisory database not found: ${named}`, { file: displayPath(source, raw), field: 'checks.vulnerabilities.database' }));
    }
    return { ...step, with: { ...step.with, policy: file, ...(database === undefined ? {} : { advisories: database }) } };
  });
  return { errors, steps: prepared };
}

/** A path as the user would write it from where they ran the command: beside the campaign file as given. */
function displayPath(source: YamlSource, raw: string): string {
  return isAbsolute(raw) ? raw : join(dirname(source.file), raw);
}

function errorAt(source: YamlSource, path: YamlPath, reason: string): FlotillaError {
  return badInputAt(reason, locationAt(siteAt(source, path)));
}

function exists(location: string): boolean {
  try {
    statSync(location);
    return true;
  } catch {
    return false;
  }
}
