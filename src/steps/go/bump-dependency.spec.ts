import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isEndRun } from '../../sdk/step.js';
import { makeRepo, tempDir } from '../../../test/helpers/repos.js';
import { makeTestContext } from '../testing/step-context.js';
import { goBumpDependency } from './bump-dependency.js';

const GO_MOD = `module example.test/svc // the service\r\n\r\ngo 1.22\r\n\r\nrequire (\r\n\tgithub.com/google/uuid v1.3.0 // keep\r\n\tgolang.org/x/text v0.14.0 // indirect\r\n)\r\n\r\nrequire github.com/pkg/errors v0.9.1\r\n`;

async function bump(files: Record<string, string>, options: { name?: string; version?: string; path?: string } = {}) {
  const workspace = await makeRepo(join(await tempDir(), 'repo'), files);
  const ctx = makeTestContext({ workspace, env: { ...process.env, PATH: options.path ?? '/usr/bin:/bin' } });
  const parsed = goBumpDependency.input.parse({ package: options.name ?? 'github.com/google/uuid', version: options.version ?? '1.6.0' });
  const result = await goBumpDependency.run(parsed, ctx);
  const read = (file: string): Promise<string> => readFile(join(workspace, file), 'utf8');
  return { result, ctx, read };
}

describe('go/bump-dependency', () => {
  it('edits the require line in a block or alone, and says go.sum was not updated when go is absent', async () => {
    const { result, read, ctx } = await bump({ 'go.mod': GO_MOD, 'go.sum': 'sums\n' });
    expect(await read('go.mod')).toBe(GO_MOD.replace('uuid v1.3.0', 'uuid v1.6.0'));
    expect(await read('go.sum')).toBe('sums\n');
    expect(result).toEqual({
      package: 'github.com/google/uuid',
      from: 'v1.3.0',
      to: 'v1.6.0',
      kind: 'minor',
      files: ['go.mod'],
      notes: ['go.sum was not updated: the go tool is not installed here; run `go mod tidy` in .'],
    });
    expect(ctx.logs.some((record) => record.level === 'warn' && record.message === 'go.sum was not updated')).toBe(true);
    const single = await bump({ 'go.mod': GO_MOD }, { name: 'github.com/pkg/errors', version: 'v0.9.2' });
    expect(await single.read('go.mod')).toBe(GO_MOD.replace('errors v0.9.1', 'errors v0.9.2'));
  });

  it('runs go mod tidy where go is on PATH (a stand-in go that records its arguments)', async () => {
    const bin = join(await tempDir(), 'bin');
    await mkdir(bin);
    await writeFile(join(bin, 'go'), '#!/bin/sh\necho "$* GOTOOLCHAIN=$GOTOOLCHAIN" > go.sum\n');
    await chmod(join(bin, 'go'), 0o755);
    const { result, read } = await bump({ 'go.mod': GO_MOD, 'go.sum': 'sums\n' }, { path: `${bin}:/usr/bin:/bin` });
    expect(await read('go.sum')).toBe('mod tidy GOTOOLCHAIN=local\n');
    expect(result).toMatchObject({ files: ['go.mod', 'go.sum'], notes: [] });
  });

  it.each([
    ['a major version the path does not carry', GO_MOD, 'v2.0.0', /does not end in \/v2/],
    ['a replaced module', `${GO_MOD}replace github.com/google/uuid => ../uuid\r\n`, 'v1.6.0', /replaces github.com\/google\/uuid with \.\.\/uuid/],
    ['a module required twice', `${GO_MOD}require github.com/google/uuid v1.4.0\r\n`, 'v1.6.0', /required 2 times/],
  ])('refuses %s with a reason and writes nothing', async (_title, text, version, reason) => {
    const { result, read } = await bump({ 'go.mod': text }, { version });
    expect(isEndRun(result) && result.outcome).toBe('needs-human');
    expect(isEndRun(result) && result.reasons[0]).toMatch(reason);
    expect(await read('go.mod')).toBe(text);
  });

  it('bumps within a /v2 module path', async () => {
    const text = 'module m\n\nrequire github.com/go-chi/chi/v5 v5.0.10\n';
    const { read } = await bump({ 'go.mod': text }, { name: 'github.com/go-chi/chi/v5', version: 'v5.1.0' });
    expect(await read('go.mod')).toBe(text.replace('v5.0.10', 'v5.1.0'));
  });

  it('skips a module that is not required, one already at the version, and one only in a comment', async () => {
    const absent = await bump({ 'go.mod': 'module m\n// require github.com/google/uuid v1.3.0\n' });
    expect(isEndRun(absent.result) && absent.result.reasons).toEqual(['github.com/google/uuid is not a dependency of this target']);
    const current = await bump({ 'go.mod': GO_MOD }, { version: 'v1.3.0' });
    expect(isEndRun(current.result) && current.result.reasons).toEqual(['already at v1.3.0']);
  });
});
