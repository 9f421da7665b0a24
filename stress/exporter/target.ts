// The exporter as a stampede Target: its daemon as the service (on the free port the harness picked),
// client agents that mutate through the daemon and read the export, the faults it carries, and its final
// state: the export once the daemon has settled, with the daemon's own counts.
import * as path from 'node:path';
import { defineTarget } from '../../lib/scenario.js';
import { DaemonConnection } from './connection.js';
import { readExport } from './export-file.js';
import { EXPORTER_FAULT_SPECS } from './faults.js';
import type { ExporterStats } from './protocol.js';
import { EXPORT_FILE, WINDOW_MS, compiledModule } from './target-files.js';

export { EXPORTER_FAULTS } from './faults.js';

export type ExporterOp =
  { f: 'set'; value: { key: string; value: string } } | { f: 'read'; value: Record<string, never> };

export interface ExporterState {
  /** The version of the last mutation in the export. */
  version: number;
  /** The export's records. */
  data: Record<string, string>;
  /** The daemon's counts once settled. */
  stats: ExporterStats;
}

/** How long readState waits for the daemon's last export (a slow-export window is seconds). */
const SETTLE_TIMEOUT_MS = 30_000;

async function settle(conn: DaemonConnection): Promise<ExporterStats> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the daemon had an export pending after ${SETTLE_TIMEOUT_MS} ms (settle never answered)`)),
      SETTLE_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([conn.settle(), late]);
  } finally {
    clearTimeout(timer);
  }
}

export const exporterTarget = defineTarget<ExporterOp, ExporterState>({
  name: 'exporter',
  service: (ctx) => ({
    command: process.execPath,
    args: [compiledModule('main.js')],
    env: {
      EXPORTER_PORT: String(ctx.port),
      EXPORTER_FILE: path.join(ctx.workspace, EXPORT_FILE),
      EXPORTER_WINDOW_MS: String(WINDOW_MS),
    },
    ready: { port: ctx.port },
  }),
  client: {
    get module() {
      return compiledModule('client.js');
    },
  },
  faults: EXPORTER_FAULT_SPECS,
  async readState(ctx) {
    if (!ctx.service) throw new Error('the exporter daemon is not running: no final state to read');
    const conn = await DaemonConnection.connect(ctx.service.host, ctx.service.port);
    let stats: ExporterStats;
    try {
      stats = await settle(conn);
    } finally {
      conn.close();
    }
    const exported = await readExport(path.join(ctx.workspace, EXPORT_FILE));
    return { version: exported.version, data: exported.data, stats };
  },
});
