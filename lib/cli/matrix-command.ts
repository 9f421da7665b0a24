// `stampede matrix [matrix-file]`: every fault against the scenario that should expose it, over many seeds,
// and the correct target over many more; prints the detection table and saves it under <results>/matrix/.
// Without a file: the package's own self-test matrix (stress/selftest/matrix.ts).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Matrix } from '../matrix/define.js';
import { matrixTable, runMatrix, type RowResult } from '../matrix/run-matrix.js';
import { freshSeed } from '../plan/rng.js';
import { HarnessError } from '../run/errors.js';
import { EXIT, type ExitCode } from '../run/exit-codes.js';
import { makeResultsFolder } from '../run/results-folder.js';
import { importUserModule } from '../scenarios/user-module.js';
import { withInterrupt } from './interrupt.js';
import { Output, type OutputOptions } from './output.js';

/** The package's compiled self-test matrix. */
export const SELFTEST_MATRIX = fileURLToPath(new URL('../../stress/selftest/matrix.js', import.meta.url));

export interface MatrixOptions extends OutputOptions {
  seeds: number;
  correctRuns: number;
  baseSeed?: number;
  fault?: string[];
  results: string;
}

/** A fault row is good when its detection rate is met (19 of 20 by default) and no wrong checker ever fires; a correct row when every run passes. */
export function rowProblems(results: RowResult[], target = 'target', detectionRate = 0.95): string[] {
  const problems: string[] = [];
  for (const r of results) {
    const detecting = r.row.fault !== null || r.row.expected.length > 0;
    const label = `${r.row.label ?? r.row.fault ?? `correct ${target}`} on ${r.row.scenario}`;
    const needed = detecting ? Math.ceil(detectionRate * r.runs) : r.runs;
    if (r.detected < needed) problems.push(`${label}: ${r.detected}/${r.runs} (${r.misses.slice(0, 3).join('; ')})`);
    if (r.wrongChecker > 0) problems.push(`${label}: a wrong checker failed in ${r.wrongChecker} runs`);
  }
  return problems;
}

export async function loadMatrix(file: string | undefined): Promise<Matrix> {
  const path = file ? resolve(file) : SELFTEST_MATRIX;
  if (!existsSync(path))
    throw new HarnessError(
      file
        ? `matrix file ${path} does not exist`
        : `the self-test matrix is missing at ${path} (run \`npm run build\`)`,
    );
  const module = await importUserModule(path, 'matrix file');
  const matrix = module.default as Matrix | undefined;
  if (!matrix || !Array.isArray(matrix.faultRows) || !Array.isArray(matrix.correctRows))
    throw new HarnessError(
      `matrix file ${path} must \`export default defineMatrix({ target, faultRows, correctRows })\``,
    );
  return matrix;
}

export async function matrixCommand(file: string | undefined, options: MatrixOptions): Promise<ExitCode> {
  const out = new Output(options);
  const matrix = await loadMatrix(file);
  const baseSeed = options.baseSeed ?? freshSeed();
  const known = [...new Set(matrix.faultRows.map((r) => r.fault ?? '').filter(Boolean))];
  const unknown = (options.fault ?? []).filter((f) => !known.includes(f));
  if (unknown.length > 0)
    throw new HarnessError(
      `--fault ${unknown.join(', ')}: the ${matrix.target} matrix has no such fault row; its faults: ${known.join(', ') || '(none)'}`,
    );
  const faultRows = options.fault
    ? matrix.faultRows.filter((r) => options.fault?.includes(r.fault ?? ''))
    : matrix.faultRows;
  const correctRows = matrix.correctRows;
  const perCorrectRow = correctRows.length === 0 ? 0 : Math.ceil(options.correctRuns / correctRows.length);
  const resultsDir = join(options.results, 'matrix');
  makeResultsFolder(resultsDir, options.results);
  const correct = options.fault
    ? `no correct-${matrix.target} rows (--fault picks fault rows only)`
    : `correct ${matrix.target} ${correctRows.length} rows x ${perCorrectRow} seeds`;
  out.progress(`matrix: base seed ${baseSeed}; ${faultRows.length} fault rows x ${options.seeds} seeds, ${correct}`);
  const onRun = (
    row: { fault: string | null; scenario: string },
    seed: number,
    detected: boolean,
    why: string,
  ): void => {
    out.progress(
      `matrix: ${row.fault ?? 'correct'} ${row.scenario} seed ${seed}: ${detected ? 'ok' : 'MISS'} (${why})`,
    );
  };
  const common = { baseSeed, resultsDir, onRun, target: matrix.target, ...(matrix.env ? { env: matrix.env } : {}) };
  const { value: results, interrupted } = await withInterrupt(async (signal) => [
    ...(await runMatrix({ ...common, rows: faultRows, seeds: options.seeds, signal })),
    ...(options.fault
      ? []
      : await runMatrix({ ...common, rows: correctRows, seeds: perCorrectRow, baseSeed: baseSeed + 1, signal })),
  ]);
  const table = matrixTable(results, matrix.target);
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'latest.md'), `${table}\n`);
  writeFileSync(join(resultsDir, 'latest.json'), `${JSON.stringify({ baseSeed, results }, null, 2)}\n`);
  const problems = rowProblems(results, matrix.target, matrix.detectionRate);
  out.data({ baseSeed, results, problems });
  if (!out.json) out.text(table);
  // The closing line: every row met the bar, or which did not (stdout, or stderr under --json).
  out.last(
    problems.length === 0
      ? `matrix: ${out.paint('pass', `all ${results.length} rows met the bar`)} (base seed ${baseSeed}${interrupted ? ', interrupted' : ''})`
      : problems.map((p) => `matrix: ${out.paint('fail', 'below the bar')}: ${p}`).join('\n'),
  );
  if (interrupted) return EXIT.harness;
  return problems.length > 0 ? EXIT.fail : EXIT.pass;
}
