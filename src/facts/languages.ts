/**
 * Which languages a repository is written in, from the extensions of its tracked files. Counting files
 * (not bytes) is cheap with `git ls-tree --name-only` and good enough to select targets
 * (`'go' in languages`). Names are lowercase so expressions need no guessing about case.
 */

const EXTENSION_LANGUAGES: Readonly<Record<string, string>> = {
  ts: 'typescript',
  tsx: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  js: 'javascript',
  jsx: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  py: 'python',
  go: 'go',
  java: 'java',
  kt: 'kotlin',
  kts: 'kotlin',
  scala: 'scala',
  groovy: 'groovy',
  rb: 'ruby',
  rs: 'rust',
  cs: 'csharp',
  fs: 'fsharp',
  c: 'c',
  h: 'c',
  cc: 'cpp',
  cpp: 'cpp',
  cxx: 'cpp',
  hpp: 'cpp',
  php: 'php',
  swift: 'swift',
  dart: 'dart',
  ex: 'elixir',
  exs: 'elixir',
  erl: 'erlang',
  clj: 'clojure',
  hs: 'haskell',
  lua: 'lua',
  sh: 'shell',
  bash: 'shell',
  vue: 'vue',
  svelte: 'svelte',
  tf: 'terraform',
};

/** Folders whose files are someone else's code or build output, not the target's own. */
const IGNORED_FOLDERS = new Set(['node_modules', 'vendor', 'third_party', 'dist', 'build', 'out', 'target', '.git']);

/** A language is listed when it has at least this share of the recognised files (the top one always is). */
const MIN_SHARE = 0.05;
const MAX_LANGUAGES = 5;

/** The language of one file path, or undefined (not code, minified, vendored). */
export function languageOf(path: string): string | undefined {
  const segments = path.split('/');
  if (segments.slice(0, -1).some((segment) => IGNORED_FOLDERS.has(segment))) return undefined;
  const name = segments[segments.length - 1] ?? '';
  if (/\.min\.[cm]?js$/.test(name)) return undefined;
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return undefined;
  return EXTENSION_LANGUAGES[name.slice(dot + 1).toLowerCase()];
}

/** The main languages of a list of file paths, most files first (ties by name). */
export function topLanguages(paths: Iterable<string>): string[] {
  const counts = new Map<string, number>();
  let total = 0;
  for (const path of paths) {
    const language = languageOf(path);
    if (!language) continue;
    counts.set(language, (counts.get(language) ?? 0) + 1);
    total++;
  }
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return ranked
    .filter(([, count], index) => index === 0 || count / total >= MIN_SHARE)
    .slice(0, MAX_LANGUAGES)
    .map(([language]) => language);
}

/** Test files and folders, in the conventions of the common ecosystems. */
export function isTestPath(path: string): boolean {
  const segments = path.split('/');
  if (segments.slice(0, -1).some((segment) => IGNORED_FOLDERS.has(segment))) return false;
  if (segments.slice(0, -1).some((segment) => /^(test|tests|__tests__|spec|specs|e2e)$/.test(segment))) return true;
  const name = segments[segments.length - 1] ?? '';
  return (
    /\.(test|spec)\.[cm]?[jt]sx?$/.test(name) ||
    /_test\.(go|py|exs)$/.test(name) ||
    /^test_.+\.py$/.test(name) ||
    /Tests?\.(java|kt|cs|scala)$/.test(name) ||
    /_spec\.rb$/.test(name)
  );
}
