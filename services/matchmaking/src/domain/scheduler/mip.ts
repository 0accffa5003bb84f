import highsModule, { type Highs } from 'highs';
import type { PatternModel } from './pattern-model.ts';

// The package's types are read as CommonJS (its default export under `.default`) while Node loads
// its ES build, whose default export is the loader itself.
const highsLoader = highsModule as unknown as typeof highsModule.default;

let loading: Promise<Highs> | undefined;

/** HiGHS (WebAssembly): loaded once per process, on first use; solves then run synchronously. */
export function loadMipSolver(): Promise<Highs> {
  return (loading ??= highsLoader());
}

export interface MipOutcome {
  /** HiGHS proved the optimum of the model (within the time limit). */
  readonly optimal: boolean;
  /** Column values of the best solution found, or null. */
  readonly values: Float64Array | null;
  readonly objective: number;
  /** A proven lower bound on the model's optimum (the LP optimum when relaxed). */
  readonly bound: number;
}

const MODEL_STATUS_OPTIMAL = 7;

/**
 * Solves the model as a MIP (or its LP relaxation), from `start` when given, for at most
 * `timeLimitMs`. Single-threaded and deterministic for the same model and start.
 */
export function solvePatternModel(
  highs: Highs,
  model: PatternModel,
  options: { timeLimitMs: number; relax?: boolean; start?: Float64Array | null },
): MipOutcome {
  const inf = highs.infinity;
  const finite = (v: Float64Array) => Float64Array.from(v, (x) => (x === Infinity ? inf : x === -Infinity ? -inf : x));
  const solver = highs.createModel({
    numCols: model.numCols,
    numRows: model.numRows,
    colCost: model.colCost,
    colLower: new Float64Array(model.numCols),
    colUpper: model.colUpper,
    rowLower: finite(model.rowLower),
    rowUpper: finite(model.rowUpper),
    matrix: { format: 'csr', numRows: model.numRows, numCols: model.numCols, starts: model.starts, indices: model.indices, values: model.values },
    ...(options.relax ? {} : { integrality: model.integrality as Int32Array & { [i: number]: 0 | 1 } }),
  });
  try {
    solver.options.set({ time_limit: Math.max(0.01, options.timeLimitMs / 1000), output_flag: false, random_seed: 1 });
    if (options.start && !options.relax) solver.setSolution({ colValue: options.start });
    solver.run();
    const status = solver.getModelStatus();
    const optimal = status === MODEL_STATUS_OPTIMAL;
    const hasSolution = Number(solver.info.get('primal_solution_status')) === 2;
    const objective = hasSolution ? solver.getObjectiveValue() : Infinity;
    const bound = options.relax ? (optimal ? objective : -Infinity) : Number(solver.info.get('mip_dual_bound'));
    return { optimal, values: hasSolution ? solver.getSolution().colValue : null, objective, bound: Number.isFinite(bound) ? bound : -Infinity };
  } finally {
    solver.dispose();
  }
}
