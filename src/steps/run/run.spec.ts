import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTestContext } from '../testing/step-context.js';
import { failureSummary, runCommand } from './run.js';

describe('failureSummary', () => {
  it.each([
    ['TAP from node --test', 'TAP version 13\nok 1 - a\nnot ok 2 - pads on the left\n  ---\n  expected: \'INV-000042\'\n  actual: \'INV-420000\'\n# fail 1', "not ok 2 - pads on the left | expected: 'INV-000042' | actual: 'INV-420000'"],
    ['an exception', 'building\nTypeError: x is not a function\n    at main.js:1', 'TypeError: x is not a function'],
    ['no recognisable failure', 'one\ntwo\nthree\nfour\n# summary', 'two | three | four'],
  ])('summarises %s', (_name, output, expected) => {
    expect(failureSummary(output)).toBe(expected);
  });
});

describe('the run step', () => {
  it('streams output to the log and fails with the summary and exit code', async () => {
    const workspace = await mkdtemp(join(tmpdir(), 'flotilla-run-'));
    const ctx = makeTestContext({ workspace });
    await expect(runCommand.run({ command: 'echo hello; echo "Error: broken" >&2; exit 3' }, ctx)).rejects.toThrow('`echo hello; echo "Error: broken" >&2; exit 3` exited with code 3: Error: broken');
    expect(ctx.logs.map((line) => line.message).join('')).toContain('hello');
  });

  it('passes its env and reports exit code 0', async () => {
    const workspace = await mkdtemp(join(tmpdir(), 'flotilla-run-'));
    const ctx = makeTestContext({ workspace });
    await expect(runCommand.run({ command: 'test "$GREETING" = hi', env: { GREETING: 'hi' } }, ctx)).resolves.toEqual({ exitCode: 0 });
  });

  it('ends the whole process tree when the signal aborts', async () => {
    const workspace = await mkdtemp(join(tmpdir(), 'flotilla-run-'));
    const ctx = makeTestContext({ workspace });
    const started = Date.now();
    setTimeout(() => ctx.abort(), 200);
    await expect(runCommand.run({ command: 'sh -c "sleep 30" & sleep 30' }, ctx)).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
