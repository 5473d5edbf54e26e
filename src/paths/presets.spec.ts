import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseCampaign } from '../config/load-campaign.js';
import { stepRegistry } from '../steps/registry.js';
import { PATH_PRESETS, findPreset } from './presets.js';

describe('PATH_PRESETS', () => {
  it('lists each preset once, alphabetically', () => {
    const ids = PATH_PRESETS.map((preset) => preset.id);
    expect(ids).toEqual([...new Set(ids)].sort());
    expect(ids).toEqual(['codemod', 'npm-dependency-bump', 'security-patch']);
    expect(findPreset('codemod')?.id).toBe('codemod');
    expect(findPreset('nope')).toBeUndefined();
  });

  it.each(PATH_PRESETS.map((preset) => [preset.id, preset]))('%s: its example loads as a campaign and passes every check', (id, preset) => {
    const text = stringify({ name: `example-${id}`, path: { uses: id, with: preset.example } });
    const loaded = parseCampaign(text, 'campaign.yaml', stepRegistry());
    const ids = loaded.steps.map((step) => step.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const required of preset.required ?? []) expect(ids).toContain(required);
    expect(loaded.steps.map((step) => step.uses).slice(-2)).toEqual(['change/open', 'change/merge']);
    expect(preset.description).toMatch(/^[A-Z].*\.$/);
  });
});
