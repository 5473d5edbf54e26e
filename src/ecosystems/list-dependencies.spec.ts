import { describe, expect, it } from 'vitest';
import { isEcosystemFile, listDependencies } from './list-dependencies.js';

describe('listDependencies', () => {
  it.each([
    ['pom.xml with a property', 'pom.xml', '<project><properties><g>31.1-jre</g></properties><dependencies><dependency><groupId>com.google.guava</groupId><artifactId>guava</artifactId><version>${g}</version></dependency></dependencies></project>', { 'com.google.guava:guava': '31.1-jre' }],
    ['build.gradle.kts', 'app/build.gradle.kts', 'dependencies { implementation("com.squareup.okhttp3:okhttp:4.9.0") }\n// "a:b:1"\n', { 'com.squareup.okhttp3:okhttp': '4.9.0' }],
    ['a version catalog', 'gradle/libs.versions.toml', '[versions]\nok = "4.9.0"\n[libraries]\nok = { module = "com.squareup.okhttp3:okhttp", version.ref = "ok" }\nslf = "org.slf4j:slf4j-api:2.0.9"\n', { 'com.squareup.okhttp3:okhttp': '4.9.0', 'org.slf4j:slf4j-api': '2.0.9' }],
    ['requirements-dev.txt', 'requirements-dev.txt', '# dev\nPyTest==8.1.1\nrequests>=2.0,<3 ; python_version > "3"\n-r base.txt\n', { pytest: '==8.1.1', requests: '>=2.0,<3' }],
    ['pyproject.toml (PEP 621 and Poetry)', 'pyproject.toml', '[project]\ndependencies = ["rich>=13"]\n[tool.poetry.dependencies]\npython = "^3.11"\nFlask = { version = "^3.0" }\n', { rich: '>=13', flask: '^3.0' }],
    ['go.mod', 'go.mod', 'module m\nrequire (\n\tgithub.com/google/uuid v1.3.0 // indirect\n)\n', { 'github.com/google/uuid': 'v1.3.0' }],
    ['a malformed pyproject.toml', 'pyproject.toml', '[project\n', {}],
  ])('reads %s', (_title, file, text, expected) => {
    expect(isEcosystemFile(file)).toBe(true);
    expect(listDependencies([{ file, text }])).toEqual(expected);
  });

  it('does not take other files for build files', () => {
    expect(['README.md', 'src/pom.xml.bak', 'docs/requirements.md', 'libs.versions.toml'].filter(isEcosystemFile)).toEqual([]);
  });
});
