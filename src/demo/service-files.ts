import { DEMO_LIBRARY, DEMO_LIBRARY_FROM } from './demo-packages.js';

/**
 * The files of one demo service: a tiny Node package whose real tests (`node --test`) import the demo
 * library from node_modules. A service that `breaks` formats invoice numbers with `pad()`, the one
 * function whose behaviour changes in the library's 2.0.0; the others use only unchanged functions.
 */

/** Which dependencies a service declares; each profile gets its own lockfile, generated once. */
export type DependencyProfile = 'plain' | 'logging';

export interface ServicePlan {
  name: string;
  owner: string;
  tier: number;
  tags: string[];
  profile: DependencyProfile;
  /** The feature every service has, using only functions 2.0.0 keeps as they were. */
  feature: 'articles' | 'people' | 'previews';
  breaks: boolean;
}

/** package.json of a service, as npm itself would format it. */
export function servicePackageJson(name: string, profile: DependencyProfile): string {
  const manifest = {
    name,
    version: '1.0.0',
    private: true,
    type: 'module',
    main: 'src/index.js',
    scripts: { test: 'node --test' },
    dependencies: {
      ...(profile === 'logging' ? { '@flotilla-demo/log': '^1.0.3' } : {}),
      [DEMO_LIBRARY]: `^${DEMO_LIBRARY_FROM}`,
    },
    devDependencies: { '@flotilla-demo/lint-config': '^3.1.0' },
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

const FEATURES: Record<ServicePlan['feature'], { source: string; test: string }> = {
  articles: {
    source: `import { slug } from '${DEMO_LIBRARY}';\n\n/** Where an article lives. */\nexport function articleUrl(title) {\n  return \`/articles/\${slug(title)}\`;\n}\n`,
    test: `test('article URLs are lower-case slugs', () => {\n  assert.equal(service.articleUrl('  Hello, World!  '), '/articles/hello-world');\n});\n`,
  },
  people: {
    source: `import { capitalize } from '${DEMO_LIBRARY}';\n\n/** How a person is greeted. */\nexport function displayName(first, last) {\n  return \`\${capitalize(first)} \${capitalize(last)}\`;\n}\n`,
    test: `test('names are capitalised', () => {\n  assert.equal(service.displayName('ada', 'lovelace'), 'Ada Lovelace');\n});\n`,
  },
  previews: {
    source: `import { truncate } from '${DEMO_LIBRARY}';\n\n/** The first words of a message, for a notification. */\nexport function preview(text) {\n  return truncate(text, 12);\n}\n`,
    test: `test('previews are cut with an ellipsis', () => {\n  assert.equal(service.preview('Your order has shipped'), 'Your order …');\n  assert.equal(service.preview('Short'), 'Short');\n});\n`,
  },
};

const INVOICES = {
  source: `import { pad } from '${DEMO_LIBRARY}';\n\n/** Invoice numbers are zero-padded so they sort as text: INV-000042. */\nexport function invoiceNumber(sequence) {\n  return \`INV-\${pad(String(sequence), 6, '0')}\`;\n}\n`,
  test: `test('invoice numbers are zero-padded on the left', () => {\n  assert.equal(service.invoiceNumber(42), 'INV-000042');\n});\n`,
};

/** Every file of a service repository, by path; `lockfile` is the profile's package-lock.json. */
export function serviceFiles(plan: ServicePlan, lockfile: string): Record<string, string> {
  const feature = FEATURES[plan.feature];
  const modules = [`./${plan.feature}.js`, ...(plan.breaks ? ['./invoices.js'] : [])];
  const index = [
    ...modules.map((module) => `export * from '${module}';`),
    ...(plan.profile === 'logging'
      ? ['', "import { createLogger } from '@flotilla-demo/log';", '', `export const log = createLogger('${plan.name}');`]
      : []),
  ].join('\n');
  const tests = [
    "import { test } from 'node:test';",
    "import assert from 'node:assert/strict';",
    "import * as service from '../src/index.js';",
    '',
    feature.test,
    ...(plan.breaks ? [INVOICES.test] : []),
    ...(plan.profile === 'logging'
      ? [`test('log lines name the service', () => {\n  assert.equal(service.log.info('ready'), '[${plan.name}] ready');\n});\n`]
      : []),
  ].join('\n');
  return {
    '.gitignore': 'node_modules/\n',
    // Keeps registry addresses out of the lockfile, so it installs from whichever registry is configured.
    '.npmrc': 'omit-lockfile-registry-resolved=true\n',
    'README.md': `# ${plan.name}\n\nA demo service owned by ${plan.owner} (tier ${plan.tier}). Run its tests with \`npm test\`.\n`,
    'package.json': servicePackageJson(plan.name, plan.profile),
    'package-lock.json': lockfile,
    'src/index.js': `${index}\n`,
    [`src/${plan.feature}.js`]: feature.source,
    ...(plan.breaks ? { 'src/invoices.js': INVOICES.source } : {}),
    [`test/${plan.name}.test.js`]: tests,
  };
}

/** A profile's lockfile, renamed for one service (npm records the root package's name twice). */
export function renameLockfile(lockfile: string, name: string): string {
  const lock = JSON.parse(lockfile) as { name?: string; packages?: Record<string, { name?: string }> };
  lock.name = name;
  const root = lock.packages?.[''];
  if (root) root.name = name;
  return `${JSON.stringify(lock, null, 2)}\n`;
}
