import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The API token, and whether it was made just now (then, and only then, it is shown to the person). */
export interface ApiToken {
  token: string;
  source: 'environment' | 'file' | 'generated';
  /** Where it is kept, when it is kept in the state folder. */
  file?: string;
}

const MIN_LENGTH = 16;

/**
 * The bearer token of the HTTP API: `FLOTILLA_API_TOKEN` when set; else the one kept in
 * `<state>/api-token`; else a new random one, written there with mode 0600 (only its owner can read it,
 * like an SSH key) so a restart keeps the same token and the dashboard's saved token keeps working.
 */
export async function loadApiToken(stateDir: string, env: NodeJS.ProcessEnv = process.env): Promise<ApiToken> {
  const fromEnv = env.FLOTILLA_API_TOKEN?.trim();
  if (fromEnv) {
    if (fromEnv.length < MIN_LENGTH) throw new Error(`FLOTILLA_API_TOKEN must be at least ${MIN_LENGTH} characters`);
    return { token: fromEnv, source: 'environment' };
  }
  const file = join(stateDir, 'api-token');
  try {
    const token = (await readFile(file, 'utf8')).trim();
    if (token.length >= MIN_LENGTH) {
      // A token file someone made readable to others is narrowed back to its owner.
      if (((await stat(file)).mode & 0o077) !== 0) await chmod(file, 0o600);
      return { token, source: 'file', file };
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const token = randomBytes(32).toString('base64url');
  await mkdir(stateDir, { recursive: true });
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return { token, source: 'generated', file };
}

/** Whether an `Authorization` header carries the token; compared in constant time. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match?.[1]) return false;
  const digest = (text: string): Buffer => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(match[1]), digest(token));
}
