import { sigmoid } from './math/logistic.js';
import { solveLinear } from './math/solve-linear.js';
import { SIGNAL_IDS, type SignalId } from './signal.js';
import type { Weights } from './weights.js';

/** One recorded outcome: the features a decision was made on, and whether the change turned out safe. */
export interface Sample {
  features: Record<SignalId, number>;
  /** 1: merged and healthy; 0: reverted or broke something. */
  safe: 0 | 1;
}

export interface FitOptions {
  /** Strength of the pull towards the prior (the L2 penalty λ/2·‖θ − θ₀‖²). */
  lambda?: number;
  maxIterations?: number;
  tolerance?: number;
}

export interface Fit {
  /** [bias, ...weights in SIGNAL_IDS order]. */
  coefficients: number[];
  iterations: number;
  converged: boolean;
}

/**
 * L2-regularised logistic regression by Newton's method, with the prior weights as the penalty's centre
 * (a Gaussian prior: maximum a posteriori). Centring on the prior rather than on zero means a signal the
 * data says nothing about (a canary nobody ran) keeps its hand-chosen weight instead of dropping to 0.
 * Newton converges in a handful of steps on a dozen parameters; the penalty makes every step's system
 * positive definite, so it cannot stall on separable data.
 */
export function fitLogistic(rows: readonly (readonly number[])[], outcomes: readonly number[], prior: readonly number[], options: FitOptions = {}): Fit {
  const lambda = options.lambda ?? 1;
  const maxIterations = options.maxIterations ?? 50;
  const tolerance = options.tolerance ?? 1e-9;
  const d = prior.length;
  let theta = [...prior];
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    const gradient = theta.map((value, index) => lambda * (value - (prior[index] ?? 0)));
    const hessian = Array.from({ length: d }, (_, row) => Array.from({ length: d }, (_, column) => (row === column ? lambda : 0)));
    rows.forEach((features, sample) => {
      const x = [1, ...features];
      let z = 0;
      for (let k = 0; k < d; k++) z += (theta[k] ?? 0) * (x[k] ?? 0);
      const p = sigmoid(z);
      const residual = p - (outcomes[sample] ?? 0);
      const curvature = p * (1 - p);
      for (let row = 0; row < d; row++) {
        const xr = x[row] ?? 0;
        if (xr === 0) continue;
        gradient[row] = (gradient[row] ?? 0) + residual * xr;
        const hessianRow = hessian[row] ?? [];
        for (let column = 0; column < d; column++) hessianRow[column] = (hessianRow[column] ?? 0) + curvature * xr * (x[column] ?? 0);
      }
    });
    const step = solveLinear(hessian, gradient);
    theta = theta.map((value, index) => value - (step[index] ?? 0));
    if (Math.max(...step.map(Math.abs)) < tolerance) return { coefficients: theta, iterations: iteration, converged: true };
  }
  return { coefficients: theta, iterations: maxIterations, converged: false };
}

/** Below this many recorded outcomes the defaults are kept: a fit on a few dozen cases mostly learns noise. */
export const MIN_OUTCOMES_TO_LEARN = 50;

export interface Learned {
  weights: Weights;
  outcomes: number;
  converged: boolean;
}

/** Weights fitted on recorded outcomes around `prior`, or undefined when there are fewer than `minOutcomes`. */
export function learnWeights(samples: readonly Sample[], prior: Weights, options: FitOptions & { minOutcomes?: number } = {}): Learned | undefined {
  if (samples.length < (options.minOutcomes ?? MIN_OUTCOMES_TO_LEARN)) return undefined;
  const rows = samples.map((sample) => SIGNAL_IDS.map((id) => sample.features[id]));
  const fit = fitLogistic(rows, samples.map((sample) => sample.safe), [prior.bias, ...SIGNAL_IDS.map((id) => prior.signals[id])], options);
  const [bias = prior.bias, ...rest] = fit.coefficients;
  const signals = Object.fromEntries(SIGNAL_IDS.map((id, index) => [id, rest[index] ?? prior.signals[id]])) as Record<SignalId, number>;
  return { weights: { bias, signals }, outcomes: samples.length, converged: fit.converged };
}

/** The probability a model gives a feature vector. */
export function predict(weights: Weights, features: Record<SignalId, number>): number {
  let z = weights.bias;
  for (const id of SIGNAL_IDS) z += weights.signals[id] * features[id];
  return sigmoid(z);
}
