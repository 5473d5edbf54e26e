import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

/**
 * The path of an executable on the PATH of `env`, or undefined. Ecosystem steps use it to decide
 * whether they can let the ecosystem's own tool (go, poetry, uv) finish the work, or must say plainly
 * that a file was left as it was.
 */
export async function findExecutable(name: string, env: Readonly<Record<string, string | undefined>>): Promise<string | undefined> {
  for (const folder of (env.PATH ?? '').split(delimiter)) {
    if (!folder) continue;
    const candidate = join(folder, name);
    const found = await access(candidate, constants.X_OK).then(
      () => true,
      () => false,
    );
    if (found) return candidate;
  }
  return undefined;
}
