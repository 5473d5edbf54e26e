import { describe, expect, it } from 'vitest';
import { benchCompliance } from './bench.js';

describe('benchCompliance', () => {
  it('parses and checks a 5,000-file, 200,000-line diff and reports the figures', () => {
    const result = benchCompliance();
    expect(Object.keys(result).sort()).toEqual(['checksMs', 'heapUsedMB', 'parseMs', 'rssMB', 'wallMs']);
    expect(result.parseMs).toBeGreaterThan(0);
    expect(result.checksMs).toBeGreaterThan(0);
    expect(result.wallMs).toBeGreaterThanOrEqual(result.parseMs + result.checksMs);
    expect(result.heapUsedMB).toBeGreaterThan(0);
  });
});
