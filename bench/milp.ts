/**
 * The exact optimum of a small vector bin-packing instance, from a mixed-integer program solved by
 * HiGHS (the `highs` package, WebAssembly).
 *
 * Model, for items `i` with demand `d[i][k]` in each dimension `k`, identical bins of capacity `c[k]`
 * and an upper bound `U` on the bins needed (a known feasible packing, such as first-fit decreasing):
 *
 *     minimize    Σ_j y_j
 *     subject to  Σ_{j ≤ i} x_ij = 1                    every item in one bin
 *                 Σ_{i ≥ j} d[i][k] x_ij ≤ c[k] y_j      per bin and dimension
 *                 y_j ≥ y_{j+1}                          bins are opened in order
 *                 x, y binary, j < U, and x_ij absent for j > i
 *
 * The last two rules break the symmetry between equivalent packings (item `i` only goes to one of the
 * first `i + 1` bins, bins fill from the front), which keeps the branch-and-bound small.
 */
import highsLoader, { Highs } from 'highs';

/** A vector bin-packing instance with integer demands. */
export interface PackingInstance {
  /** Per item, the demand in each dimension. */
  readonly demands: readonly (readonly number[])[];
  /** The capacity of a bin in each dimension. */
  readonly capacity: readonly number[];
}

/** Loads the solver once (it compiles a WebAssembly module). */
export function loadSolver(): Promise<Highs> {
  return highsLoader();
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** Divides each dimension by the greatest common divisor of its values: same instance, small coefficients. */
export function normalize(instance: PackingInstance): PackingInstance {
  const divisors = instance.capacity.map((c, k) => instance.demands.reduce((g, d) => gcd(g, d[k]), c) || 1);
  return {
    demands: instance.demands.map((d) => d.map((v, k) => v / divisors[k])),
    capacity: instance.capacity.map((c, k) => c / divisors[k]),
  };
}

/** The CPLEX LP text of the model, bins limited to `upperBound`. */
export function binPackingLp(instance: PackingInstance, upperBound: number): string {
  const { demands, capacity } = normalize(instance);
  const bins = Array.from({ length: upperBound }, (_, j) => j);
  const x = (i: number, j: number): string => `x_${i}_${j}`;
  const y = (j: number): string => `y_${j}`;
  const lines = ['Minimize', ` obj: ${bins.map(y).join(' + ')}`, 'Subject To'];
  demands.forEach((_, i) => {
    lines.push(` assign_${i}: ${bins.filter((j) => j <= i).map((j) => x(i, j)).join(' + ')} = 1`);
  });
  for (const j of bins) {
    capacity.forEach((cap, k) => {
      const terms = demands.flatMap((d, i) => (i >= j && d[k] > 0 ? [`${d[k]} ${x(i, j)}`] : []));
      if (terms.length > 0) lines.push(` cap_${j}_${k}: ${terms.join(' + ')} - ${cap} ${y(j)} <= 0`);
    });
    if (j + 1 < upperBound) lines.push(` order_${j}: ${y(j)} - ${y(j + 1)} >= 0`);
  }
  const variables = [...bins.map(y), ...demands.flatMap((_, i) => bins.filter((j) => j <= i).map((j) => x(i, j)))];
  lines.push('Binary', ...chunk(variables, 10).map((names) => ` ${names.join(' ')}`), 'End');
  return `${lines.join('\n')}\n`;
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

/**
 * The fewest bins that hold every item, proven optimal by the solver. `upperBound` must be the size of
 * some feasible packing.
 * @throws Error when an item fits no bin or the solver does not prove optimality.
 */
export function optimalBins(solver: Highs, instance: PackingInstance, upperBound: number): number {
  if (instance.demands.some((d) => d.some((v, k) => v > instance.capacity[k]))) throw new Error('an item is larger than a bin');
  if (instance.demands.length === 0) return 0;
  const solution = solver.solve(binPackingLp(instance, upperBound), { output_flag: false, mip_rel_gap: 0 });
  if (solution.Status !== 'Optimal') throw new Error(`the solver stopped with status ${solution.Status}`);
  return Math.round(solution.ObjectiveValue);
}
