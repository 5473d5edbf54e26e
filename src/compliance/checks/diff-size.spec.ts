import { describe, expect, it } from 'vitest';
import { gitDiff, makeFacts } from '../testing.js';
import { diffSizeCheck } from './diff-size.js';

function change(files: number, linesEach: number, extra: Parameters<typeof gitDiff>[0] = []) {
  const list = Array.from({ length: files }, (_, index) => ({
    path: `src/module-${index}.ts`,
    added: Array.from({ length: linesEach }, (_, line) => `export const value${line} = ${line};`),
  }));
  return makeFacts({ diff: gitDiff([...list, ...extra]) });
}

describe('diff-size', () => {
  it('passes a small change', () => {
    expect(diffSizeCheck.run(change(3, 10), { warn: { files: 10, lines: 100 }, block: { files: 50, lines: 1000 } }, {})).toEqual([]);
  });

  it('warns above the warn limits', () => {
    const findings = diffSizeCheck.run(change(12, 10), { warn: { files: 10, lines: 100 }, block: { files: 50, lines: 1000 } }, {});
    expect(findings).toEqual([
      { check: 'diff-size', severity: 'warn', reason: 'diff-size:files', message: '12 files changed, above the warn limit of 10' },
      { check: 'diff-size', severity: 'warn', reason: 'diff-size:lines', message: '120 lines changed, above the warn limit of 100' },
    ]);
  });

  it('blocks above the block limits without also warning about the same measure', () => {
    const findings = diffSizeCheck.run(change(12, 100), { warn: { files: 10, lines: 100 }, block: { lines: 1000 } }, {});
    expect(findings.map((finding) => [finding.reason, finding.severity])).toEqual([
      ['diff-size:files', 'warn'],
      ['diff-size:lines', 'block'],
    ]);
  });

  it('leaves lockfiles out of the counts by default', () => {
    const lockfile = { path: 'package-lock.json', added: Array.from({ length: 5000 }, () => '"x": 1,') };
    expect(diffSizeCheck.run(change(1, 10, [lockfile]), {}, {})).toEqual([]);
    expect(diffSizeCheck.run(change(1, 10, [lockfile]), { exclude: [] }, {})[0]?.reason).toBe('diff-size:lines');
  });
});
