// Append-only history writer. One file per worker thread, one synchronous write per event,
// so a crash or Ctrl-C mid-run leaves every completed line on disk.
import { closeSync, openSync, writeSync } from 'node:fs';
import type { HistoryEvent } from '../types.js';

export class HistoryWriter {
  private readonly fd: number;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'a');
  }

  write(event: HistoryEvent): void {
    writeSync(this.fd, `${JSON.stringify(event)}\n`);
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** File name of one thread's part of the history; the run merges the parts into history.jsonl. */
export function historyPartName(thread: number): string {
  return `history.part-${thread}.jsonl`;
}
