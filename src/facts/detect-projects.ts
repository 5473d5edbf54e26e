import picomatch from 'picomatch';

export interface ProjectSplit {
  kind: 'npm-workspaces' | 'pnpm-workspaces' | 'maven-modules' | 'gradle-projects';
  /** Project folders relative to the repository root, sorted. */
  projects: string[];
}

/**
 * Tells whether a repository is a monorepo, and its projects, from what its build declares: npm/yarn
 * `workspaces` (globs over folders holding a package.json), `pnpm-workspace.yaml` `packages`, Maven
 * `<modules>`, Gradle `include(...)` in settings.gradle(.kts).
 */
export async function detectProjects(
  root: ReadonlySet<string>,
  manifest: { workspaces?: unknown } | undefined,
  files: readonly string[],
  read: (file: string) => Promise<string | undefined>,
): Promise<ProjectSplit | undefined> {
  const packageFolders = files.filter((file) => file.endsWith('/package.json') && !file.includes('node_modules/')).map((file) => file.slice(0, -'/package.json'.length));
  const workspaces = workspaceGlobs(manifest?.workspaces);
  if (workspaces.length > 0) return { kind: 'npm-workspaces', projects: matchFolders(packageFolders, workspaces) };
  if (root.has('pnpm-workspace.yaml')) {
    const text = (await read('pnpm-workspace.yaml')) ?? '';
    const globs = [...text.matchAll(/^\s*-\s*['"]?([^'"\n#]+?)['"]?\s*$/gm)].map((match) => match[1] ?? '').filter(Boolean);
    return { kind: 'pnpm-workspaces', projects: matchFolders(packageFolders, globs) };
  }
  if (root.has('pom.xml')) {
    const modules = [...((await read('pom.xml')) ?? '').matchAll(/<module>\s*([^<\s]+)\s*<\/module>/g)].map((match) => match[1] ?? '');
    if (modules.length > 0) return { kind: 'maven-modules', projects: [...new Set(modules)].sort() };
  }
  for (const settings of ['settings.gradle.kts', 'settings.gradle']) {
    if (!root.has(settings)) continue;
    const text = (await read(settings)) ?? '';
    const included = [...text.matchAll(/include\s*\(?([^)\n]+)\)?/g)].flatMap((match) => [...(match[1] ?? '').matchAll(/["']:?([^"']+)["']/g)].map((name) => (name[1] ?? '').replace(/:/g, '/')));
    if (included.length > 0) return { kind: 'gradle-projects', projects: [...new Set(included)].sort() };
  }
  return undefined;
}

function workspaceGlobs(value: unknown): string[] {
  const list = Array.isArray(value) ? value : typeof value === 'object' && value !== null && Array.isArray((value as { packages?: unknown }).packages) ? (value as { packages: unknown[] }).packages : [];
  return list.filter((item): item is string => typeof item === 'string');
}

function matchFolders(folders: readonly string[], globs: readonly string[]): string[] {
  const include = globs.filter((glob) => !glob.startsWith('!')).map((glob) => picomatch(glob.replace(/\/+$/, '')));
  const exclude = globs.filter((glob) => glob.startsWith('!')).map((glob) => picomatch(glob.slice(1).replace(/\/+$/, '')));
  return folders.filter((folder) => include.some((match) => match(folder)) && !exclude.some((match) => match(folder))).sort();
}
