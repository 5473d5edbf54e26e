/**
 * Solves A·x = b by Gaussian elimination with partial pivoting. The systems here are the Newton steps of
 * a logistic fit: a dozen unknowns, symmetric positive definite thanks to the L2 prior, so this plain
 * method is exact enough and needs no library.
 */
export function solveLinear(matrix: readonly (readonly number[])[], vector: readonly number[]): number[] {
  const n = vector.length;
  const a = matrix.map((row, index) => [...row, vector[index] ?? 0]);
  for (let column = 0; column < n; column++) {
    let pivot = column;
    for (let row = column + 1; row < n; row++) if (Math.abs(a[row]?.[column] ?? 0) > Math.abs(a[pivot]?.[column] ?? 0)) pivot = row;
    const pivotRow = a[pivot];
    const current = a[column];
    if (!pivotRow || !current) throw new RangeError('the matrix does not match the vector');
    const lead = pivotRow[column] ?? 0;
    if (Math.abs(lead) < 1e-300) throw new RangeError('the system is singular');
    a[pivot] = current;
    a[column] = pivotRow;
    for (let row = column + 1; row < n; row++) {
      const target = a[row];
      if (!target) continue;
      const factor = (target[column] ?? 0) / lead;
      if (factor === 0) continue;
      for (let k = column; k <= n; k++) target[k] = (target[k] ?? 0) - factor * (pivotRow[k] ?? 0);
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let row = n - 1; row >= 0; row--) {
    const current = a[row] ?? [];
    let sum = current[n] ?? 0;
    for (let k = row + 1; k < n; k++) sum -= (current[k] ?? 0) * (x[k] ?? 0);
    x[row] = sum / (current[row] ?? 1);
  }
  return x;
}
