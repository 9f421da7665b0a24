// The exporter daemon's entry: `node main.js`, configured by its environment (the target sets it):
//   EXPORTER_PORT               the TCP port to listen on (required); EXPORTER_HOST (127.0.0.1)
//   EXPORTER_FILE               the export (default: export.json in the working directory)
//   EXPORTER_WINDOW_MS          the export window (50)
//   EXPORTER_SLOW_EXPORT_MS     the window under the slow-export fault (3000)
//   STAMPEDE_FAULTS             a comma list of faults.ts's faults
// SIGTERM and SIGINT close it (a window still open is dropped) and print its counts on stderr.
import * as path from 'node:path';
import { startDaemon } from './daemon.js';
import { parseExporterFaults } from './faults.js';

function log(line: string): void {
  process.stderr.write(`exporter[${process.pid}]: ${line}\n`);
}

function envNumber(name: string, fallback: number | null): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') {
    if (fallback === null) throw new Error(`${name} is required`);
    return fallback;
  }
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0)
    throw new Error(`${name} must be a non-negative number, got ${JSON.stringify(raw)}`);
  return n;
}

async function main(): Promise<void> {
  const daemon = await startDaemon({
    port: envNumber('EXPORTER_PORT', null),
    host: process.env.EXPORTER_HOST || '127.0.0.1',
    file: path.resolve(process.env.EXPORTER_FILE || 'export.json'),
    windowMs: envNumber('EXPORTER_WINDOW_MS', 50),
    slowWindowMs: envNumber('EXPORTER_SLOW_EXPORT_MS', 3000),
    faults: parseExporterFaults(process.env.STAMPEDE_FAULTS),
    log,
  });
  const stop = (signal: string): void => {
    log(`${signal}: stopping; ${JSON.stringify(daemon.stats())}`);
    void daemon.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  log(`cannot start: ${(error as Error).message}`);
  process.exit(2);
});
