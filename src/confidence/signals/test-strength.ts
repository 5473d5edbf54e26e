/**
 * How much a green run of `count` tests is worth, from 0 to 1. Three tests or fewer count for nothing —
 * a suite that small passes whatever the change does, so a green run of it must not earn confidence —
 * twenty or more count fully, and the worth grows with the logarithm of the count in between (the tenth
 * test adds less than the fourth).
 */
export const TOO_FEW_TESTS = 3;
export const FULL_SUITE = 20;
/** A suite whose output could not be read (only its exit code): some evidence, not much. */
export const EXIT_CODE_ONLY_STRENGTH = 0.25;

export function testStrength(count: number): number {
  if (count <= TOO_FEW_TESTS) return 0;
  if (count >= FULL_SUITE) return 1;
  return Math.log(count / TOO_FEW_TESTS) / Math.log(FULL_SUITE / TOO_FEW_TESTS);
}
