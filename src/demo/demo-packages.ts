import { startNpmRegistry, type NpmRegistry, type RegistryPackage } from './npm-registry.js';

/**
 * The packages the demo registry publishes. The star is `@flotilla-demo/strings`: 2.0.0 changes one
 * behaviour, `pad()` now pads on the right (1.x pads on the left), and only the services whose tests
 * rely on left padding break. That is what makes the demo's confidence, waves and needs-human real:
 * the same bump is safe for most of the fleet and breaks a known few.
 */

/** The library the demo campaign bumps. */
export const DEMO_LIBRARY = '@flotilla-demo/strings';
export const DEMO_LIBRARY_FROM = '1.2.0';
export const DEMO_LIBRARY_TO = '2.0.0';

const STRINGS_COMMON = `/** Turns a title into a URL slug: "Hello, World!" → "hello-world". */
export function slug(text) {
  return text.trim().toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

/** Upper-cases the first letter. */
export function capitalize(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Shortens a text to at most \`length\` characters, ending with an ellipsis when it was cut. */
export function truncate(text, length, ellipsis = '…') {
  return text.length <= length ? text : text.slice(0, Math.max(0, length - ellipsis.length)) + ellipsis;
}
`;

const STRINGS_1 = `${STRINGS_COMMON}
/** Pads on the left to \`width\` characters, to right-align numbers and ids: pad('7', 3, '0') → '007'. */
export function pad(text, width, fill = ' ') {
  return String(text).padStart(width, fill);
}
`;

const STRINGS_2 = `${STRINGS_COMMON}
/** Pads on the right to \`width\` characters (changed in 2.0.0: 1.x padded on the left). */
export function pad(text, width, fill = ' ') {
  return String(text).padEnd(width, fill);
}

/** Pads on the left, as pad() did in 1.x. */
export function padStart(text, width, fill = ' ') {
  return String(text).padStart(width, fill);
}
`;

const CHANGELOG = `# Changelog

## 2.0.0

- BREAKING: \`pad()\` now pads on the right. Use the new \`padStart()\` for the 1.x behaviour.

## 1.2.0

- \`truncate()\` takes a custom ellipsis.
`;

const LOG = `/** A tiny logger that returns the line it would print, so services can test their log lines. */
export function createLogger(name) {
  return { info: (message) => \`[\${name}] \${message}\` };
}
`;

const esm = { type: 'module', exports: './index.js' };

/** Every package version the demo registry serves. */
export function demoRegistryPackages(): RegistryPackage[] {
  return [
    {
      name: DEMO_LIBRARY,
      version: DEMO_LIBRARY_FROM,
      files: { 'index.js': STRINGS_1, 'CHANGELOG.md': CHANGELOG.replace(/## 2\.0\.0[\s\S]*?(?=## 1\.2\.0)/, '') },
      license: 'MIT',
      manifest: { ...esm, description: 'String helpers for the Flotilla demo fleet.' },
      published: '2025-03-04T10:00:00.000Z',
    },
    {
      name: DEMO_LIBRARY,
      version: DEMO_LIBRARY_TO,
      files: { 'index.js': STRINGS_2, 'CHANGELOG.md': CHANGELOG },
      license: 'MIT',
      manifest: { ...esm, description: 'String helpers for the Flotilla demo fleet.' },
      published: '2025-09-16T10:00:00.000Z',
    },
    {
      name: '@flotilla-demo/log',
      version: '1.0.3',
      files: { 'index.js': LOG },
      license: 'MIT',
      manifest: esm,
      published: '2024-11-20T10:00:00.000Z',
    },
    {
      name: '@flotilla-demo/lint-config',
      version: '3.1.0',
      files: { 'index.json': '{\n  "rules": { "no-unused-vars": "error" }\n}\n' },
      license: 'Apache-2.0',
      manifest: { main: 'index.json' },
      published: '2025-01-08T10:00:00.000Z',
    },
  ];
}

/** Starts a registry serving the demo packages (keep it running while a demo campaign runs). */
export function startDemoRegistry(): Promise<NpmRegistry> {
  return startNpmRegistry(demoRegistryPackages());
}
