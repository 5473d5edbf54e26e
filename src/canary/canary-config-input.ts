import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { z } from 'zod';
import { fromKayentaConfig, kayentaConfigSchema, resolveScoreThresholds, type CanaryConfig, type KayentaConfig, type ScoreThresholds } from '../judge/index.js';
import { parseJsonFile, schemaError } from '../judge/input-errors.js';
import { badInput, errorMessage } from '../model/errors.js';

const score = z.number().min(0).max(100);

/**
 * The `with:` fields every canary step shares: the canary config, inline or from a file, and score
 * thresholds. Inline configs are Kayenta's canary-config JSON written as YAML, checked when the campaign
 * loads (a typo in `direction` is reported with its line before anything runs).
 */
export const canaryConfigShape = {
  config: kayentaConfigSchema.optional().describe('the canary config inline: Kayenta canary-config (`metrics`, `classifier`)'),
  configFile: z.string().min(1).optional().describe('a Kayenta canary-config JSON file instead of `config` (a relative path is read from where flotilla runs)'),
  thresholds: z
    .strictObject({ pass: score.optional(), marginal: score.optional() })
    .optional()
    .describe('score thresholds over the config\'s `classifier.scoreThresholds` (default 95 / 75)'),
};

export interface CanaryConfigInput {
  config?: KayentaConfig | undefined;
  configFile?: string | undefined;
  thresholds?: { pass?: number | undefined; marginal?: number | undefined } | undefined;
}

/**
 * The judge's config and thresholds from a step's input: the inline config, else the file, else
 * `fallback` (the local canary's built-in metrics). Bad files are bad input with file, line and field.
 *
 * A relative `configFile` is resolved against the working directory, because the step context does not
 * carry the campaign file's folder; campaigns run from their own folder (`flotilla run campaign.yaml`)
 * read it from there.
 */
export async function loadCanaryConfig(input: CanaryConfigInput, fallback?: KayentaConfig): Promise<{ config: CanaryConfig; thresholds: ScoreThresholds }> {
  let kayenta = input.config;
  if (kayenta === undefined && input.configFile !== undefined) kayenta = await readCanaryConfigFile(resolve(input.configFile));
  kayenta ??= fallback;
  if (kayenta === undefined) throw badInput('a canary needs `config` (inline) or `configFile`', { field: 'config' });
  const config = fromKayentaConfig(kayenta);
  const thresholds = resolveScoreThresholds(config, { pass: input.thresholds?.pass, marginal: input.thresholds?.marginal });
  return { config, thresholds };
}

async function readCanaryConfigFile(file: string): Promise<KayentaConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw badInput(`cannot read the canary config ${file}: ${errorMessage(error)}`, { file, field: 'configFile' });
  }
  const parsed = kayentaConfigSchema.safeParse(parseJsonFile(text, file));
  if (!parsed.success) throw schemaError(parsed.error, text, file);
  return parsed.data;
}

/** Adds an issue unless at most one of `fields` is set (`config` or `configFile`, not both). */
export function atMostOne(value: Record<string, unknown>, fields: readonly string[], context: z.RefinementCtx): void {
  const given = fields.filter((field) => value[field] !== undefined);
  if (given.length > 1) context.addIssue({ code: 'custom', message: `give one of ${fields.join(' or ')}, not both`, path: [given[1] ?? ''] });
}
