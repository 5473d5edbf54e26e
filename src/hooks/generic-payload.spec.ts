import { describe, expect, it } from 'vitest';
import { mapGenericEvent } from './generic-payload.js';

const delivery = { source: 'generic', deliveryId: 'd-1' };

describe('mapGenericEvent', () => {
  it('maps an event for a campaign and target', () => {
    const mapped = mapGenericEvent({ campaign: 'bump-debug', target: 'billing-api', type: 'ci.completed', data: { conclusion: 'success', commit: 'abc' } }, delivery);
    expect(mapped).toEqual({
      kind: 'events',
      events: [{ source: 'generic', type: 'ci.completed', campaign: 'bump-debug', target: 'billing-api', data: { conclusion: 'success', commit: 'abc' }, deliveryId: 'd-1', cause: 'generic hook: ci.completed (delivery d-1)' }],
    });
  });

  it('maps an event found by match, with any type, its cause and no data', () => {
    const mapped = mapGenericEvent({ type: 'deploy.finished', match: { branch: 'flotilla/bump-debug', repo: 'acme/billing' }, cause: 'deployed to staging' }, delivery);
    expect(mapped).toEqual({
      kind: 'events',
      events: [{ source: 'generic', type: 'deploy.finished', match: { branch: 'flotilla/bump-debug', repo: 'acme/billing' }, data: {}, deliveryId: 'd-1', cause: 'generic hook: deployed to staging (delivery d-1)' }],
    });
  });

  it.each([
    ['no way to find the run', { type: 'change.approved', campaign: 'x' }, 'event: needs campaign and target, or match (branch, commit or repo), to find its run'],
    ['a type that is not noun.verb', { type: 'approved', campaign: 'x', target: 'y' }, 'type: must be <noun>.<verb>, such as ci.completed or deploy.finished'],
    ['an unknown field', { type: 'a.b', campaign: 'x', target: 'y', targte: 'z' }, 'unknown field targte; allowed: type, campaign, target, match, data, cause'],
    ['an unknown match field', { type: 'a.b', match: { sha: 'z' } }, 'match: unknown field sha; allowed: branch, commit, repo'],
    ['a ci.completed without a conclusion', { type: 'ci.completed', campaign: 'x', target: 'y', data: { commit: 'abc' } }, /^ci\.completed data\.conclusion: /],
    ['not an object', 'ci.completed', /^event: /],
  ])('refuses %s', (_title, payload, reason) => {
    const mapped = mapGenericEvent(payload, delivery);
    expect(mapped.kind).toBe('malformed');
    if (mapped.kind === 'malformed') expect(mapped.reason).toMatch(reason);
  });
});
