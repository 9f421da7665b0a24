// The exporter's client agents: one TCP connection to the daemon each. `set` goes to the daemon (ok once
// the daemon has applied it: acknowledged, not yet exported); `read` reads the export file, as seed 003's
// readers read the JSONL, and answers with the keys it holds (keys.ts). A refused request is `fail`; a
// broken connection or a deadline leaves the op unknown.
import * as path from 'node:path';
import { OpFailed } from '../../lib/agents/op-failed.js';
import type { Client } from '../../lib/agents/client-module.js';
import type { OpContext } from '../../lib/scenario.js';
import { DaemonConnection } from './connection.js';
import { readExport } from './export-file.js';
import { compactKeys } from './keys.js';
import { EXPORT_FILE } from './target-files.js';

export async function open(ctx: OpContext): Promise<Client> {
  const service = ctx.service;
  if (!service) throw new Error('the exporter client needs the daemon (the target has a service)');
  const conn = await DaemonConnection.connect(service.host, service.port);
  const file = path.join(ctx.workspace, EXPORT_FILE);
  return {
    async invoke(op, { signal }) {
      if (op.f === 'read') {
        try {
          const state = await readExport(file);
          return compactKeys(state.version, Object.keys(state.data));
        } catch (error) {
          // No observation was made: the read did not happen, and its error says why.
          throw new OpFailed((error as Error).message);
        }
      }
      if (op.f === 'set') {
        const { key, value } = op.value as { key: string; value: string };
        const res = await conn.request({ op: 'set', key, value }, signal);
        if (!res.ok) throw new OpFailed(`the daemon refused: ${res.error}`);
        return { version: res.version ?? null };
      }
      throw new OpFailed(`the exporter has no op ${JSON.stringify(op.f)} (set, read)`);
    },
    close: () => conn.close(),
  };
}
