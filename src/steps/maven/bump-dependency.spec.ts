import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isEndRun } from '../../sdk/step.js';
import { makeRepo, tempDir } from '../../../test/helpers/repos.js';
import { makeTestContext } from '../testing/step-context.js';
import { mavenBumpDependency } from './bump-dependency.js';

const pom = (body: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\r\n<project xmlns="http://maven.apache.org/POM/4.0.0">\r\n  <modelVersion>4.0.0</modelVersion>\r\n${body}</project>\r\n`;

const dependency = (artifact: string, version: string | undefined, group = 'com.google.guava'): string =>
  `    <dependency>\r\n      <groupId>${group}</groupId>\r\n      <artifactId>${artifact}</artifactId>\r\n${version === undefined ? '' : `      <version>${version}</version>\r\n`}    </dependency>\r\n`;

async function bump(files: Record<string, string>, version = '33.2.1-jre', name = 'com.google.guava:guava') {
  const workspace = await makeRepo(join(await tempDir(), 'repo'), files);
  const ctx = makeTestContext({ workspace });
  const result = await mavenBumpDependency.run(mavenBumpDependency.input.parse({ package: name, version }), ctx);
  const read = (file: string): Promise<string> => readFile(join(workspace, file), 'utf8');
  return { result, ctx, read };
}

describe('maven/bump-dependency', () => {
  it('edits a version in place and nothing else (CRLF, comments, attributes kept)', async () => {
    const before = pom(`  <!-- guava 31.1-jre is the old one -->\r\n  <dependencies>\r\n${dependency('guava', '31.1-jre')}${dependency('failureaccess', '1.0.1')}  </dependencies>\r\n`);
    const { result, read } = await bump({ 'pom.xml': before });
    expect(await read('pom.xml')).toBe(before.replace('<version>31.1-jre</version>', '<version>33.2.1-jre</version>'));
    expect(result).toEqual({ package: 'com.google.guava:guava', from: '31.1-jre', to: '33.2.1-jre', kind: 'major', files: ['pom.xml'], notes: [] });
  });

  it('edits the property the version comes from, and dependencyManagement in a module', async () => {
    const parent = pom(`  <properties>\n    <guava.version>31.1-jre</guava.version>\n    <other>1.0</other>\n  </properties>\n  <dependencyManagement>\n    <dependencies>\n${dependency('guava', '${guava.version}')}    </dependencies>\n  </dependencyManagement>\n`);
    const module = pom(`  <dependencies>\n${dependency('guava', undefined)}  </dependencies>\n`);
    const { result, read } = await bump({ 'pom.xml': parent, 'core/pom.xml': module });
    expect(await read('pom.xml')).toBe(parent.replace('<guava.version>31.1-jre<', '<guava.version>33.2.1-jre<'));
    expect(await read('core/pom.xml')).toBe(module);
    expect(result).toMatchObject({ from: '31.1-jre', files: ['pom.xml'] });
  });

  it.each([
    ['a property shared with another dependency', pom(`  <properties><g>31.1-jre</g></properties>\n  <dependencies>\n${dependency('guava', '${g}')}${dependency('guava-testlib', '${g}')}  </dependencies>\n`), /\$\{g\}, which also sets the version of com.google.guava:guava-testlib/],
    ['a property used by a plugin', pom(`  <properties><g>31.1-jre</g></properties>\n  <dependencies>\n${dependency('guava', '${g}')}  </dependencies>\n  <build><plugins><plugin><artifactId>x</artifactId><version>\${g}</version></plugin></plugins></build>\n`), /also sets something else at pom.xml:\d+/],
    ['a version range', pom(`  <dependencies>\n${dependency('guava', '[30.0,32.0)')}  </dependencies>\n`), /a range or a dynamic version/],
    ['an undefined property', pom(`  <dependencies>\n${dependency('guava', '${guava.version}')}  </dependencies>\n`), /not defined in this repository/],
    ['a property defined twice', pom(`  <properties><g>31.1-jre</g></properties>\n  <profiles><profile><properties><g>30.0-jre</g></properties></profile></profiles>\n  <dependencies>\n${dependency('guava', '${g}')}  </dependencies>\n`), /defined 2 times/],
    ['conflicting declarations', pom(`  <dependencyManagement><dependencies>\n${dependency('guava', '31.1-jre')}</dependencies></dependencyManagement>\n  <dependencies>\n${dependency('guava', '30.0-jre')}  </dependencies>\n`), /declared at 31.1-jre in pom.xml:\d+ \(dependencyManagement\) and at 30.0-jre/],
    ['a version from a parent outside the repository', pom(`  <dependencies>\n${dependency('guava', undefined)}  </dependencies>\n`), /managed outside this repository/],
    ['an expression', pom(`  <properties><a>1</a></properties>\n  <dependencies>\n${dependency('guava', '${a}.0-jre')}  </dependencies>\n`), /an expression/],
  ])('refuses %s with a reason and writes nothing', async (_title, before, reason) => {
    const { result, read } = await bump({ 'pom.xml': before });
    expect(isEndRun(result) && result.outcome).toBe('needs-human');
    expect(isEndRun(result) && result.reasons[0]).toMatch(reason);
    expect(await read('pom.xml')).toBe(before);
  });

  it('ignores a ${property} in a comment when it looks for other uses', async () => {
    const before = pom(`  <!-- \${g} is guava's -->\n  <properties><g>31.1-jre</g></properties>\n  <dependencies>\n${dependency('guava', '${g}')}  </dependencies>\n`);
    const { read } = await bump({ 'pom.xml': before });
    expect(await read('pom.xml')).toBe(before.replace('<g>31.1-jre</g>', '<g>33.2.1-jre</g>'));
  });

  it('skips a target that does not declare it, and one already at the version', async () => {
    const other = await bump({ 'pom.xml': pom(`  <dependencies>\n${dependency('failureaccess', '1.0.1')}  </dependencies>\n`) });
    expect(isEndRun(other.result) && other.result.reasons).toEqual(['com.google.guava:guava is not a dependency of this target']);
    const none = await bump({ 'README.md': 'no pom\n' });
    expect(isEndRun(none.result) && none.result.outcome).toBe('skipped');
    const current = await bump({ 'pom.xml': pom(`  <dependencies>\n${dependency('guava', '33.2.1-jre')}  </dependencies>\n`) });
    expect(isEndRun(current.result) && current.result.reasons).toEqual(['already at 33.2.1-jre']);
  });

  it('rejects inputs that are not coordinates or one version', () => {
    expect(mavenBumpDependency.input.safeParse({ package: 'guava', version: '1.0' }).success).toBe(false);
    expect(mavenBumpDependency.input.safeParse({ package: 'a:b', version: '[1.0,2.0)' }).success).toBe(false);
    expect(mavenBumpDependency.input.safeParse({ package: 'a:b', version: '${v}' }).success).toBe(false);
  });
});
