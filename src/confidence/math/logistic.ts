/** The logistic function σ(z) = 1 / (1 + e^−z), written so large |z| neither overflows nor loses digits. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** The log-odds ln(p / (1 − p)) of a probability in (0, 1). */
export function logit(p: number): number {
  return Math.log(p / (1 - p));
}
