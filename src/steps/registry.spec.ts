import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BUILT_IN_STEPS, stepRegistry } from './registry.js';

describe('the built-in step registry', () => {
  it('lists steps alphabetically with unique ids', () => {
    const ids = BUILT_IN_STEPS.map((step) => step.id);
    expect(ids).toEqual([...ids].sort());
    expect(stepRegistry().size).toBe(ids.length);
  });

  describe.each(BUILT_IN_STEPS.map((step) => [step.id, step] as const))('%s', (_id, step) => {
    it('is documented: a description, schemas that render, and at least one example', () => {
      expect(step.description.length).toBeGreaterThan(20);
      expect(step.description.endsWith('.')).toBe(true);
      expect(step.examples.length).toBeGreaterThan(0);
      expect(() => z.toJSONSchema(step.input, { io: 'input' })).not.toThrow();
      expect(() => z.toJSONSchema(step.output)).not.toThrow();
    });

    it('accepts each of its examples', () => {
      for (const example of step.examples) {
        expect(step.input.safeParse(example.with).success, example.title).toBe(true);
      }
    });
  });
});
