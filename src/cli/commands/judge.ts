import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { runJudgeCommand } from '../../judge/cli.js';
import { badInput, errorMessage } from '../../model/errors.js';
import { EXIT } from '../exit-codes.js';
import type { Output } from '../output.js';

interface JudgeOptions {
  config: string;
  data: string;
  pass?: string;
  marginal?: string;
  json?: boolean;
}

/**
 * `flotilla judge`: the canary judge on two files, for scripts and pipelines that already have their
 * samples. Everything but reading the files lives in `runJudgeCommand` (pure, unit-tested); this adapter
 * only maps its result onto the process: the rendering on stdout with exit 0 (pass) or 1 (marginal, fail,
 * inconclusive), and bad input thrown so the program prints `flotilla: <message>` and exits 2 like every
 * other command.
 */
export function registerJudge(program: Command, output: Output): void {
  program
    .command('judge')
    .description('Judge a canary: compare experiment samples with control samples, metric by metric (exit 0 only on pass)')
    .requiredOption('--config <file>', 'the canary config (Kayenta canary-config JSON)')
    .requiredOption('--data <file>', 'the samples: {"metrics": {"<name>": {"control": [...], "experiment": [...]}}}')
    .option('--pass <score>', 'the score at or above which the canary passes (default: the config, else 95)')
    .option('--marginal <score>', 'the score at or above which a non-passing canary is marginal (default: the config, else 75)')
    .option('--json', 'print the judgement as JSON')
    .action(async (options: JudgeOptions) => {
      const [configText, dataText] = await Promise.all([readInput(options.config, '--config'), readInput(options.data, '--data')]);
      const result = runJudgeCommand({
        configText,
        configPath: options.config,
        dataText,
        dataPath: options.data,
        pass: threshold(options.pass, '--pass'),
        marginal: threshold(options.marginal, '--marginal'),
        json: Boolean(options.json),
      });
      if (result.error) throw result.error;
      output.out(result.output);
      process.exitCode = result.exitCode === 0 ? EXIT.ok : EXIT.attention;
    });
}

async function readInput(file: string, field: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw badInput(`cannot read ${file}: ${errorMessage(error)}`, { field });
  }
}

/** A threshold option as a number; range and order are checked by the judge (it knows the config's values). */
function threshold(text: string | undefined, field: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw badInput(`${field} must be a number between 0 and 100, not "${text}"`, { field });
  return value;
}
