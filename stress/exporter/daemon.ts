// The exporter daemon (seed 003's event-driven shape): clients send mutations over TCP; the state lives in
// memory; each mutation triggers the debouncer, which exports the whole state to a file once per window,
// so readers of the file see a mutation within about a window. At start it takes up the export it finds,
// so a restart keeps what had been exported (and loses what was acknowledged but not yet exported).
import * as net from 'node:net';
import * as readline from 'node:readline';
import { Debouncer } from './debouncer.js';
import { readExport, writeExport } from './export-file.js';
import type { ExporterFault } from './faults.js';
import { parseRequest, type ExporterStats, type Response } from './protocol.js';

/**
 * Seed 003's debouncer as written: 500 ms, restarted by every trigger (the `debounce-reset` fault). At
 * 500 ms, not the daemon's 50: a stall of the machine that long is rare, so under a steady stream of
 * mutations it starves until the stream stops, as it would in the seed's daemon. (A 500 ms window that
 * is not reset keeps within the 1 s budget: the starving is what breaks it.)
 */
export const SEED_DEBOUNCE_MS = 500;

export interface DaemonConfig {
  port: number;
  host: string;
  /** The export file. */
  file: string;
  /** The export window in ms, as the scenario asks for it. */
  windowMs: number;
  /** The window the slow-export fault uses instead. */
  slowWindowMs: number;
  faults: ReadonlySet<ExporterFault>;
  log: (line: string) => void;
}

export interface Daemon {
  stats(): ExporterStats;
  close(): Promise<void>;
}

export async function startDaemon(config: DaemonConfig): Promise<Daemon> {
  const { faults, log } = config;
  const data = new Map<string, string>();
  let version = 0;
  try {
    const found = await readExport(config.file);
    for (const [key, value] of Object.entries(found.data)) data.set(key, value);
    version = found.version;
    log(`took up ${data.size} records (version ${version}) from ${config.file}`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const windowMs = faults.has('slow-export')
    ? config.slowWindowMs
    : faults.has('debounce-reset')
      ? SEED_DEBOUNCE_MS
      : config.windowMs;
  const counts = { mutations: 0, exports: 0, fsyncs: 0, records: 0 };
  const perRecord = faults.has('fsync-per-record');
  const exportNow = async (): Promise<void> => {
    // The snapshot is taken before the first await: a mutation after it is the next export's.
    const snapshot = { version, entries: [...data] };
    const wrote = await writeExport(config.file, snapshot, perRecord);
    counts.exports += 1;
    counts.fsyncs += wrote.fsyncs;
    counts.records += wrote.records;
  };
  const mode = faults.has('no-debounce') ? 'immediate' : faults.has('debounce-reset') ? 'reset' : 'window';
  const debouncer = new Debouncer(windowMs, mode, exportNow, (error) => {
    // An export that cannot be written must not go unnoticed: the harness names a crashed service.
    log(`export to ${config.file} failed: ${(error as Error).message}; exiting`);
    process.exit(70);
  });
  // The file exists before the daemon is ready, so a reader never finds none.
  await writeExport(config.file, { version, entries: [...data] }, false);

  const stats = (): ExporterStats => ({
    ...counts,
    windowMs,
    faults: [...faults],
    pending: debouncer.pending,
  });

  const answer = async (line: string): Promise<Response> => {
    const req = parseRequest(line);
    if (!('op' in req)) return { id: req.id ?? -1, ok: false, error: req.error };
    switch (req.op) {
      case 'set':
        data.set(req.key, req.value);
        version += 1;
        counts.mutations += 1;
        debouncer.trigger();
        return { id: req.id, ok: true, version };
      case 'stats':
        return { id: req.id, ok: true, stats: stats() };
      case 'settle':
        await debouncer.settled();
        return { id: req.id, ok: true, stats: stats() };
    }
  };

  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // A client that goes away mid-answer (a killed agent) is its own business, not the daemon's.
    socket.on('error', (error) => log(`connection error: ${error.message}`));
    const lines = readline.createInterface({ input: socket, crlfDelay: Infinity });
    lines.on('error', () => socket.destroy()); // the socket's own error, logged above
    lines.on('line', (line) => {
      if (line.trim() === '') return;
      void answer(line).then((res) => {
        if (!socket.destroyed) socket.write(`${JSON.stringify(res)}\n`);
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  log(
    `listening on ${config.host}:${config.port}; exporting ${config.file} with a ${windowMs} ms ${mode} debounce; faults: ${[...faults].join(', ') || 'none'}`,
  );
  return {
    stats,
    close: async () => {
      debouncer.cancel();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
