// Reading the summary table strace -c writes (the traced process's calls, counted):
//
//   % time     seconds  usecs/call     calls    errors syscall
//   ------ ----------- ----------- --------- --------- ----------------
//    93.35    0.001024         341         3           fsync
//   ------ ----------- ----------- --------- --------- ----------------
//   100.00    0.001097         182         6           total
//
// The errors cell is blank when there were none, so cells are found from the header's column order (calls
// comes before errors). A tree with processes of two personalities (32- and 64-bit) gets one table each;
// their rows are added up. A file without a whole table (strace killed before it wrote one) is null.
import { SENTINEL_CALL } from './strace-argv.js';

export type CallCounts = Record<string, number>;

export function parseTable(text: string): CallCounts | null {
  const counts: CallCounts = {};
  let callsColumn = -1;
  let tables = 0;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('% time')) {
      callsColumn = line.replace('% time', '%time').split(/\s+/).indexOf('calls');
      continue;
    }
    if (callsColumn < 0 || line === '' || line.startsWith('---')) continue;
    const cells = line.split(/\s+/);
    const name = cells[cells.length - 1] as string;
    const calls = Number(cells[callsColumn]);
    if (!Number.isInteger(calls) || cells.length <= callsColumn + 1) continue;
    if (name === 'total') {
      tables += 1;
      callsColumn = -1;
      continue;
    }
    counts[name] = (counts[name] ?? 0) + calls;
  }
  // No table, or one cut short, or one without the call every traced program makes: not a count.
  if (tables === 0 || callsColumn >= 0 || !counts[SENTINEL_CALL]) return null;
  return counts;
}
