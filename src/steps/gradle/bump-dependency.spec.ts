import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isEndRun } from '../../sdk/step.js';
import { makeRepo, tempDir } from '../../../test/helpers/repos.js';
import { makeTestContext } from '../testing/step-context.js';
import { gradleBumpDependency } from './bump-dependency.js';

async function bump(files: Record<string, string>, version = '4.12.0', name = 'com.squareup.okhttp3:okhttp') {
  const workspace = await makeRepo(join(await tempDir(), 'repo'), files);
  const ctx = makeTestContext({ workspace });
  const result = await gradleBumpDependency.run(gradleBumpDependency.input.parse({ package: name, version }), ctx);
  const read = (file: string): Promise<string> => readFile(join(workspace, file), 'utf8');
  return { result, ctx, read };
}

const GROOVY = `plugins { id 'java' }\n\n// implementation 'com.squareup.okhttp3:okhttp:3.0.0' was the old one\ndependencies {\n    implementation 'com.squareup.okhttp3:okhttp:4.9.0'\n    testImplementation "com.squareup.okhttp3:mockwebserver:4.9.0"\n    implementation group: 'com.squareup.okhttp3', name: 'okhttp', version: '4.9.0', classifier: 'x'\n}\n`;
const KOTLIN = `dependencies {\n    implementation("com.squareup.okhttp3:okhttp:4.9.0@jar")\n    implementation(group = "com.squareup.okhttp3", name = "okhttp", version = "4.9.0")\n}\n`;
const CATALOG = `# shared versions\n[versions]\nokhttp = "4.9.0"   # keep aligned\nkotlin = "1.9.0"\n\n[libraries]\nokhttp = { module = "com.squareup.okhttp3:okhttp", version.ref = "okhttp" }\nokhttp-alias = { group = "com.squareup.okhttp3", name = "okhttp", version.ref = "okhttp" }\nslf4j = "org.slf4j:slf4j-api:2.0.9"\nkotlin-stdlib = { module = "org.jetbrains.kotlin:kotlin-stdlib", version.ref = "kotlin" }\n\n[plugins]\nkotlin-jvm = { id = "org.jetbrains.kotlin.jvm", version.ref = "kotlin" }\n`;

describe('gradle/bump-dependency', () => {
  it('bumps string and map notation in Groovy and Kotlin DSL, never in comments', async () => {
    const { result, read } = await bump({ 'build.gradle': GROOVY, 'app/build.gradle.kts': KOTLIN });
    expect(await read('build.gradle')).toBe(
      GROOVY.replace("okhttp3:okhttp:4.9.0'\n", "okhttp3:okhttp:4.12.0'\n").replace("version: '4.9.0'", "version: '4.12.0'"),
    );
    expect(await read('app/build.gradle.kts')).toBe(KOTLIN.replaceAll('4.9.0', '4.12.0'));
    expect(result).toEqual({ package: 'com.squareup.okhttp3:okhttp', from: '4.9.0', to: '4.12.0', kind: 'minor', files: ['app/build.gradle.kts', 'build.gradle'], notes: [] });
  });

  it('bumps a catalog [versions] entry its libraries refer to, and an inline catalog version', async () => {
    const script = 'dependencies {\n    implementation(libs.okhttp)\n}\n';
    const first = await bump({ 'gradle/libs.versions.toml': CATALOG, 'build.gradle.kts': script });
    expect(await first.read('gradle/libs.versions.toml')).toBe(CATALOG.replace('okhttp = "4.9.0"', 'okhttp = "4.12.0"'));
    expect(first.result).toMatchObject({ from: '4.9.0', files: ['gradle/libs.versions.toml'] });
    const second = await bump({ 'gradle/libs.versions.toml': CATALOG }, '2.0.13', 'org.slf4j:slf4j-api');
    expect(await second.read('gradle/libs.versions.toml')).toBe(CATALOG.replace('slf4j-api:2.0.9', 'slf4j-api:2.0.13'));
  });

  it.each([
    ['a [versions] entry shared with a plugin', { 'gradle/libs.versions.toml': CATALOG }, 'org.jetbrains.kotlin:kotlin-stdlib', /which plugins kotlin-jvm also use/],
    ['a variable', { 'build.gradle': 'dependencies { implementation "com.squareup.okhttp3:okhttp:$okhttpVersion" }\n' }, undefined, /is a variable \(\$okhttpVersion\)/],
    ['a dynamic version', { 'build.gradle': "dependencies { implementation 'com.squareup.okhttp3:okhttp:4.+' }\n" }, undefined, /"4\.\+", a dynamic or rich version/],
    ['a rich catalog version', { 'gradle/libs.versions.toml': '[libraries]\nokhttp = { module = "com.squareup.okhttp3:okhttp", version = { strictly = "4.9.0" } }\n' }, undefined, /rich version \(strictly\)/],
    ['conflicting declarations', { 'build.gradle': "dependencies { implementation 'com.squareup.okhttp3:okhttp:4.9.0' }\n", 'sub/build.gradle': "dependencies { implementation 'com.squareup.okhttp3:okhttp:4.10.0' }\n" }, undefined, /declared at 4.9.0 in build.gradle:1 and at 4.10.0 in sub\/build.gradle:1/],
  ])('refuses %s with a reason and writes nothing', async (_title, files, name, reason) => {
    const { result, read } = await bump(files, name === undefined ? '4.12.0' : '2.0.0', name);
    expect(isEndRun(result) && result.outcome).toBe('needs-human');
    expect(isEndRun(result) && result.reasons[0]).toMatch(reason);
    for (const [file, text] of Object.entries(files)) expect(await read(file)).toBe(text);
  });

  it('says in notes that a Gradle lockfile was left as it was', async () => {
    const { result } = await bump({ 'build.gradle': GROOVY, 'gradle.lockfile': 'com.squareup.okhttp3:okhttp:4.9.0=runtimeClasspath\n' });
    expect(result).toMatchObject({ notes: ['gradle.lockfile was not updated: run ./gradlew dependencies --write-locks to update it'] });
  });

  it('skips when the module is not declared with a version, or already at it', async () => {
    const managed = await bump({ 'build.gradle': "dependencies { implementation 'com.squareup.okhttp3:okhttp' }\n" });
    expect(isEndRun(managed.result) && managed.result.outcome).toBe('skipped');
    const current = await bump({ 'build.gradle': "dependencies { implementation 'com.squareup.okhttp3:okhttp:4.12.0' }\n" });
    expect(isEndRun(current.result) && current.result.reasons).toEqual(['already at 4.12.0']);
  });
});
