import type { z } from 'zod';
import type { stepSpecSchema } from '../model/campaign.js';

/** A step as a preset writes it: the campaign file's shape (defaults may be left out). */
export type PresetStep = z.input<typeof stepSpecSchema>;

/**
 * A ready-made path: the steps a common kind of change needs, from a few parameters. A campaign uses
 * one with `path: { uses: <id>, with: <params> }` instead of listing steps, and may change its steps by
 * id (see README.md in this folder).
 */
export interface PathPreset<P extends z.ZodType = z.ZodType> {
  /** kebab-case; unique. */
  id: string;
  /** One sentence: what kind of change it is for. */
  description: string;
  /** The parameters (`path.with`); strict, so a misspelt parameter is reported where it is written. */
  params: P;
  /** Parameters for `flotilla paths show` and the tests (which expand and check every preset's example). */
  example: z.input<P>;
  /**
   * Steps a campaign may not remove or make conditional: what makes the preset what it is (the tests of
   * the security fast lane). Their other fields may still be changed.
   */
  required?: readonly string[];
  steps(params: z.output<P>): PresetStep[];
}

/** Defines a preset; the identity, for type inference of `steps(params)`. */
export function definePreset<P extends z.ZodType>(preset: PathPreset<P>): PathPreset<P> {
  return preset;
}

/** Any preset, whatever its parameters (`steps` is a method, so its parameter is compared bivariantly). */
export type AnyPreset = PathPreset<z.ZodType>;
