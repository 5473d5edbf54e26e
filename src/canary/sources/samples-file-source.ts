import { readFile } from 'node:fs/promises';
import { canaryDataSchema, type CanaryData, type MetricSamples } from '../../judge/index.js';
import { parseJsonFile, schemaError } from '../../judge/input-errors.js';
import { badInput, errorMessage } from '../../model/errors.js';
import type { MetricQuery, MetricSource } from './metric-source.js';

/**
 * Samples already collected, in the file format `flotilla judge --data` reads:
 * `{"metrics": {"<name>": {"control": [...], "experiment": [...]}}}`. For canaries measured elsewhere
 * (a load test in CI, an export from another metric store). The window and labels do not apply: the file
 * holds exactly what is compared. Mistakes are bad input with the file, line, column and field.
 */
export class SamplesFileSource implements MetricSource {
  readonly kind = 'samples-file';
  private loaded: Promise<CanaryData> | undefined;

  constructor(private readonly file: string) {}

  /** Everything in the file (read once). */
  readAll(): Promise<CanaryData> {
    this.loaded ??= readSamplesFile(this.file);
    return this.loaded;
  }

  async fetch(query: MetricQuery): Promise<MetricSamples> {
    const data = await this.readAll();
    return Object.hasOwn(data.metrics, query.metric) ? (data.metrics[query.metric] ?? { control: [], experiment: [] }) : { control: [], experiment: [] };
  }
}

async function readSamplesFile(file: string): Promise<CanaryData> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw badInput(`cannot read the samples file ${file}: ${errorMessage(error)}`, { file, field: 'samples' });
  }
  const parsed = canaryDataSchema.safeParse(parseJsonFile(text, file));
  if (!parsed.success) throw schemaError(parsed.error, text, file);
  return parsed.data;
}
