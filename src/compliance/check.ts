import { z } from 'zod';
import type { ChangeFacts } from './change-facts.js';
import type { OsvAdvisory } from './osv.js';

export type Severity = 'block' | 'warn' | 'info';

export const SEVERITIES: readonly Severity[] = ['block', 'warn', 'info'];

/** One thing a check or a rule found. `reason` is a stable short name (`secret:aws-access-key`). */
export interface Finding {
  /** The check id, or `rules` for a policy's custom rule. */
  check: string;
  /** The custom rule's id. */
  rule?: string;
  severity: Severity;
  reason: string;
  message: string;
  file?: string;
  line?: number;
}

/** What the checks get besides the facts and their params: loaded data, never a way to do I/O. */
export interface CheckEnv {
  /** The advisory database (OSV), as `loadAdvisories` read it; `undefined` when none was loaded. */
  advisories?: readonly OsvAdvisory[];
  /** A CODEOWNERS text that takes precedence over the one in the facts. */
  codeowners?: string;
}

/**
 * A built-in check: pure, deterministic, reads the change facts and its parameters only.
 * `run` validates and defaults its params with the `params` schema, so callers may pass the raw input.
 */
export interface Check<S extends z.ZodType = z.ZodType> {
  readonly id: CheckId;
  readonly description: string;
  readonly params: S;
  run(facts: ChangeFacts, params: z.input<S>, env: CheckEnv): Finding[];
}

export type CheckId =
  | 'denied-versions'
  | 'diff-size'
  | 'freeze-windows'
  | 'licenses'
  | 'protected-paths'
  | 'secrets'
  | 'vulnerabilities';

export interface CheckDefinition<S extends z.ZodType> {
  id: CheckId;
  description: string;
  params: S;
  evaluate(facts: ChangeFacts, params: z.output<S>, env: CheckEnv): Finding[];
}

/** Builds a check whose `run` parses its params (applying defaults) before evaluating. */
export function defineCheck<S extends z.ZodType>(definition: CheckDefinition<S>): Check<S> {
  return {
    id: definition.id,
    description: definition.description,
    params: definition.params,
    run(facts, params, env) {
      return definition.evaluate(facts, definition.params.parse(params), env);
    },
  };
}

export const severitySchema = z.enum(['block', 'warn', 'info']);

/** A severity parameter with its default. */
export function severityParam(defaultSeverity: Severity) {
  return severitySchema.default(defaultSeverity);
}
