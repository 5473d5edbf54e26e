/**
 * `flotilla judge --config CANARY_CONFIG.json --data DATA.json [--pass 95] [--marginal 75] [--json]`,
 * without the I/O: the caller reads the files and prints `output`; this module parses, validates,
 * judges and renders. Pure, so every exit path is a unit test.
 *
 * Exit codes: 0 the canary passed; 1 it is marginal or failed (including inconclusive — a script
 * deploying on exit 0 must not deploy on missing data); 2 bad input (unreadable or invalid config or
 * data, or thresholds out of range), with the FlotillaError in `error`.
 */
import { z } from 'zod';
import { isFlotillaError, type FlotillaError } from '../model/errors.js';
import { schemaError, parseJsonFile } from './input-errors.js';
import { resolveScoreThresholds, judgeCanary, type CanaryData, type CanaryJudgement } from './judge-canary.js';
import { kayentaConfigSchema, fromKayentaConfig } from './kayenta-config.js';
import type { CanaryConfig, ScoreThresholds } from './canary-config.js';
import { renderJudgementJson, renderJudgementTable } from './render-judgement.js';

export interface JudgeCommandInput {
  configText: string;
  /** Used in error messages only. */
  configPath: string;
  dataText: string;
  dataPath: string;
  /** `--pass`; overrides the config's `classifier.scoreThresholds.pass` (default 95). */
  pass?: number;
  /** `--marginal`; overrides the config's `classifier.scoreThresholds.marginal` (default 75). */
  marginal?: number;
  /** `--json`: machine-readable output instead of the table. */
  json: boolean;
}

export type JudgeExitCode = 0 | 1 | 2;

export interface JudgeCommandResult {
  exitCode: JudgeExitCode;
  /** What to print on stdout (exit 0 and 1) or stderr (exit 2); ends with a newline. */
  output: string;
  judgement?: CanaryJudgement;
  /** The bad-input error behind exit code 2. */
  error?: FlotillaError;
}

const sampleSchema = z.array(z.number({ error: 'expected a number or null' }).finite().nullable());

/** The data file: samples per metric; `null` is a missing point. Unknown fields are ignored. */
export const canaryDataSchema = z.object({
  metrics: z.record(z.string(), z.object({ control: sampleSchema, experiment: sampleSchema })),
});

function parseWith<T>(schema: z.ZodType<T>, text: string, file: string): T {
  const json = parseJsonFile(text, file);
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw schemaError(parsed.error, text, file);
  return parsed.data;
}

/** Parses and validates both files; throws a located bad-input FlotillaError. */
export function parseJudgeInputs(input: Omit<JudgeCommandInput, 'json'>): { config: CanaryConfig; data: CanaryData; thresholds: ScoreThresholds } {
  const config = fromKayentaConfig(parseWith(kayentaConfigSchema, input.configText, input.configPath));
  const data = parseWith(canaryDataSchema, input.dataText, input.dataPath);
  const thresholds = resolveScoreThresholds(config, { pass: input.pass, marginal: input.marginal });
  return { config, data, thresholds };
}

/** Runs the judge command on file contents; see the module comment for exit codes. */
export function runJudgeCommand(input: JudgeCommandInput): JudgeCommandResult {
  let parsed: ReturnType<typeof parseJudgeInputs>;
  try {
    parsed = parseJudgeInputs(input);
  } catch (error) {
    if (!isFlotillaError(error) || error.code !== 'bad-input') throw error;
    const output = input.json
      ? `${JSON.stringify({ error: { code: error.code, message: error.message, location: error.location ?? null, details: error.details ?? null } }, null, 2)}\n`
      : `flotilla judge: ${error.message}\n`;
    return { exitCode: 2, output, error };
  }
  const judgement = judgeCanary(parsed.config, parsed.data, { scoreThresholds: parsed.thresholds });
  const output = input.json ? renderJudgementJson(judgement, parsed.thresholds) : renderJudgementTable(judgement, parsed.thresholds);
  return { exitCode: judgement.verdict === 'pass' ? 0 : 1, output, judgement };
}
