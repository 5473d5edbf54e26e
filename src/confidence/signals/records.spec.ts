import { describe, expect, it } from 'vitest';
import { betaQuantile } from '../math/beta.js';
import { campaignRecordSignal } from './campaign-record.js';
import { targetHistorySignal } from './target-history.js';

describe('the campaign-record signal', () => {
  it('is unavailable before any earlier target finished', () => {
    expect(campaignRecordSignal(undefined).available).toBe(false);
    expect(campaignRecordSignal({ successes: 0, failures: 0 }).available).toBe(false);
  });

  it('is judged on the lower bound, not the mean: three of three is too little to trust', () => {
    const three = campaignRecordSignal({ successes: 3, failures: 0 });
    expect(three.details.mean).toBe(0.8);
    expect(three.details.lower).toBeCloseTo(betaQuantile(0.05, 4, 1), 4);
    expect(three.value).toBe(0);
    expect(three.explanation).toContain('too little to go on yet');
  });

  it('counts a long clean record fully and a decent one partly', () => {
    expect(campaignRecordSignal({ successes: 60, failures: 0 }).value).toBe(1);
    const decent = campaignRecordSignal({ successes: 45, failures: 5 });
    const lower = betaQuantile(0.05, 46, 6);
    expect(decent.value).toBeCloseTo((lower - 0.5) / 0.45, 3);
    expect(decent.value).toBeGreaterThan(0.5);
    expect(decent.value).toBeLessThan(1);
  });

  it('counts against a campaign that clearly breaks more than three targets in ten', () => {
    const bad = campaignRecordSignal({ successes: 10, failures: 10 });
    const upper = betaQuantile(0.95, 11, 11);
    expect(bad.value).toBeCloseTo(-Math.min(1, (0.7 - upper) / 0.3), 3);
    expect(bad.value).toBeLessThan(0);
    expect(bad.explanation).toBe('10 of 20 earlier targets of this campaign succeeded; the success rate is 33%–67% (90% credible): this campaign breaks too many targets');
    expect(campaignRecordSignal({ successes: 0, failures: 6 }).value).toBe(-1);
    // Uncertain either way: neither bound is decisive.
    expect(campaignRecordSignal({ successes: 2, failures: 1 }).value).toBe(0);
  });
});

describe('the target-history signal', () => {
  it.each([
    [0, 0, false, 0],
    [5, 0, true, 0.5],
    [20, 0, true, (24 / 25 - 0.8) / 0.2],
    [1, 1, true, (5 / 7 - 0.8) / 0.2],
    [0, 4, true, -1],
  ])('%i good and %i bad earlier changes', (successes, failures, available, value) => {
    const signal = targetHistorySignal({ successes, failures });
    expect(signal.available).toBe(available);
    expect(signal.value).toBeCloseTo(value, 4);
  });
});
