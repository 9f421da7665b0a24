// Where a command's words go, the same for every command that takes `--json` and `--quiet`:
// - by default: tables and results on stdout (verdicts in colour where the terminal shows it), progress on stderr;
// - `--json`: stdout carries only JSON, one document per line, for scripts; everything else goes to stderr, uncoloured;
// - `--quiet`: no progress and no tables: the closing line, and warnings and errors.
import type { WrittenReports } from '../report/write-reports.js';
import { summaryTable } from '../report/table.js';
import { paintFor, plain, type Paint } from '../report/colour.js';

export interface OutputOptions {
  /** The command's summary as JSON on stdout, one document per line; everything else on stderr. */
  json?: boolean;
  /** No progress and no tables: only the closing line (and warnings and errors). */
  quiet?: boolean;
}

export class Output {
  readonly json: boolean;
  readonly quiet: boolean;
  /** Colours verdicts in what goes to stdout; never under --json, never off a colour terminal. */
  readonly paint: Paint;

  constructor(options: OutputOptions, env: NodeJS.ProcessEnv = process.env) {
    this.json = options.json === true;
    this.quiet = options.quiet === true;
    this.paint = this.json ? plain : paintFor(process.stdout, env);
  }

  /** Progress and status lines: stderr, unless --quiet. */
  progress(line: string): void {
    if (!this.quiet) process.stderr.write(`${line}\n`);
  }

  /** What a person reads (tables, details, notes): stdout; under --json stderr; under --quiet nothing. */
  text(text: string): void {
    if (this.quiet) return;
    (this.json ? process.stderr : process.stdout).write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** The closing line (or lines), printed in every mode: stdout, or stderr under --json. */
  last(text: string): void {
    (this.json ? process.stderr : process.stdout).write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** One JSON document, as one line on stdout: under --json only. */
  data(value: unknown): void {
    if (this.json) process.stdout.write(`${JSON.stringify(value)}\n`);
  }

  /**
   * A run's summary table (its verdicts coloured where wanted), then `after` (a blank line between runs):
   * by default only; --json prints the summary instead.
   */
  table(written: Pick<WrittenReports, 'table' | 'model'>, after = '\n'): void {
    if (this.json || this.quiet) return;
    const table = this.paint === plain ? written.table : summaryTable(written.model, process.cwd(), this.paint);
    process.stdout.write(`${table}${after}`);
  }
}
