// Client modules: what a client agent's module exports, and loading it in a worker thread (once per thread
// and path; TypeScript through tsx, so a user's project needs no build step: scenarios/user-module.ts).
import type { OpContext } from '../scenario.js';
import { importUserModule } from '../scenarios/user-module.js';
import type { Json } from '../types.js';

/** One connection: one agent. */
export interface Client {
  /** Resolve with the op's result (ok); throw OpFailed when it definitely did not happen; honour `signal`. */
  invoke(op: { f: string; value: Json; fault?: string }, options: { signal: AbortSignal }): Promise<unknown>;
  close(): Promise<void> | void;
}

export interface ClientModule {
  open(ctx: OpContext): Promise<Client> | Client;
}

const loaded = new Map<string, Promise<ClientModule>>();

export function loadClientModule(path: string): Promise<ClientModule> {
  let module = loaded.get(path);
  if (!module) {
    module = importClient(path);
    loaded.set(path, module);
  }
  return module;
}

async function importClient(path: string): Promise<ClientModule> {
  const module = (await importUserModule(path, 'client module')) as { open?: unknown; default?: { open?: unknown } };
  const open =
    typeof module.open === 'function'
      ? module.open
      : typeof module.default?.open === 'function'
        ? module.default.open
        : null;
  if (!open)
    throw new Error(
      `client module ${path} must export \`open(ctx)\` returning {invoke(op, {signal}), close()} (found exports: ${Object.keys(module).join(', ') || 'none'})`,
    );
  return { open: open as ClientModule['open'] };
}
