import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { badInput, FlotillaError } from '../model/errors.js';
import { osvAdvisorySchema, type OsvAdvisory } from './osv.js';

/**
 * Reads an offline advisory database in OSV format: a folder of `.json` files (searched recursively,
 * as in the osv.dev exports and GitHub's advisory-database), or one file holding an advisory, an array
 * of advisories, or an object with a `vulns` array. Nothing is fetched.
 */
export async function loadAdvisories(location: string): Promise<OsvAdvisory[]> {
  let info;
  try {
    info = await stat(location);
  } catch (error) {
    throw new FlotillaError('not-found', `advisory database not found: ${location}`, { cause: error, location: { file: location } });
  }
  if (!info.isDirectory()) return readAdvisoryFile(location);
  const entries = await readdir(location, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
  const advisories: OsvAdvisory[] = [];
  // A few files at a time: databases hold tens of thousands of small files.
  for (let start = 0; start < files.length; start += 64) {
    const batch = await Promise.all(files.slice(start, start + 64).map((file) => readAdvisoryFile(file)));
    for (const list of batch) advisories.push(...list);
  }
  return advisories;
}

async function readAdvisoryFile(file: string): Promise<OsvAdvisory[]> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch (error) {
    throw badInput(`${file} is not a readable OSV JSON file: ${(error as Error).message}`, { file });
  }
  const items = Array.isArray(value) ? value : isRecord(value) && Array.isArray(value.vulns) ? value.vulns : [value];
  return items.map((item: unknown, index) => {
    const parsed = osvAdvisorySchema.safeParse(item);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const where = [index, ...(issue?.path ?? [])].join('.');
    throw badInput(`${file}: advisory ${where}: ${issue?.message ?? 'is not an OSV advisory'}`, { file, field: where });
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
