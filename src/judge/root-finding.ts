/**
 * Brent's root finder (Forsythe, Malcolm and Moler, "Computer Methods for Mathematical Computations",
 * 1977: bisection combined with linear or inverse quadratic interpolation), step for step as R's
 * `uniroot` runs it.
 *
 * Why step for step: R's asymptotic confidence interval of the shift is the point where a *step*
 * function crosses a normal quantile. Any point within the tolerance of the jump is an acceptable
 * answer, so two correct root finders return different numbers. To print what `wilcox.test` prints we
 * take the same steps, with the same tolerance (`1e-4`) and the same stopping rule.
 */

export interface RootResult {
  root: number;
  /** Function evaluations after the two end points. */
  iterations: number;
  /** False when the iteration limit was reached (R only warns; so do we, through this flag). */
  converged: boolean;
}

/**
 * A zero of `f` in [lower, upper], given `f(lower)` and `f(upper)` of opposite signs (or one of them 0).
 * Returns within `4 * EPSILON * |x| + tolerance` of a sign change.
 */
export function brentRoot(
  f: (x: number) => number,
  lower: number,
  upper: number,
  fLower: number,
  fUpper: number,
  tolerance = 1e-4,
  maxIterations = 1000,
): RootResult {
  let a = lower;
  let b = upper;
  let fa = fLower;
  let fb = fUpper;
  let c = a;
  let fc = fa;
  if (fa === 0) return { root: a, iterations: 0, converged: true };
  if (fb === 0) return { root: b, iterations: 0, converged: true };

  for (let iteration = 0; iteration <= maxIterations; iteration++) {
    const previousStep = b - a;
    if (Math.abs(fc) < Math.abs(fb)) {
      // Keep b the best approximation so far, c on the other side of the root.
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const actualTolerance = 2 * Number.EPSILON * Math.abs(b) + tolerance / 2;
    let step = (c - b) / 2;
    if (Math.abs(step) <= actualTolerance || fb === 0) return { root: b, iterations: iteration, converged: true };

    // Interpolate only when the previous step was large enough and went the right way.
    if (Math.abs(previousStep) >= actualTolerance && Math.abs(fa) > Math.abs(fb)) {
      const cb = c - b;
      let p: number;
      let q: number;
      if (a === c) {
        const t1 = fb / fa; // two distinct points: secant
        p = cb * t1;
        q = 1 - t1;
      } else {
        const qa = fa / fc; // three points: inverse quadratic
        const t1 = fb / fc;
        const t2 = fb / fa;
        p = t2 * (cb * qa * (qa - t1) - (b - a) * (t1 - 1));
        q = (qa - 1) * (t1 - 1) * (t2 - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      // Accept the interpolated point only if it lies well inside [b, c] and shrinks the step enough.
      if (p < 0.75 * cb * q - Math.abs(actualTolerance * q) / 2 && p < Math.abs((previousStep * q) / 2)) step = p / q;
    }
    if (Math.abs(step) < actualTolerance) step = step > 0 ? actualTolerance : -actualTolerance;

    a = b;
    fa = fb;
    b += step;
    fb = f(b);
    if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) {
      c = a;
      fc = fa;
    }
  }
  return { root: b, iterations: maxIterations + 1, converged: false };
}
