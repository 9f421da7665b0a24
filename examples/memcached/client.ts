// One memcached connection per agent (memcache-client). Three ways to increment one counter, chosen by
// the scenario's `mode` parameter:
//   get-set  read the value, write value + 1 (a client-side read-modify-write: loses updates)
//   incr     memcached's own atomic incr
//   cas      gets, then cas value + 1 with its cas token; retry when another writer got in first
// A read is a plain get. Errors that mean the command never took effect are OpFailed (fail); a broken
// connection or an abort leaves the op unknown (info).
import { MemcacheClient } from 'memcache-client';
import { OpFailed, type Client, type OpContext } from 'stampede';

const DEFINITE = /^(NOT_FOUND|NOT_STORED|CLIENT_ERROR)/;

function classify(error: unknown): Error {
  const e = error as Error & { code?: string };
  // Refused: the command was queued and never sent (the server is down).
  if (DEFINITE.test(e.message) || e.code === 'ECONNREFUSED') return new OpFailed(e.message);
  return e;
}

export async function open(ctx: OpContext): Promise<Client> {
  const service = ctx.service;
  if (!service) throw new Error('the memcached example needs its service');
  // The harness's deadline decides when an op is given up on, not the library's.
  const mc = new MemcacheClient({ server: `${service.host}:${service.port}`, cmdTimeout: 600_000 });
  const key = 'counter';
  // Create the counter if nobody has yet (NOT_STORED when it exists: fine).
  await mc.add(key, '0').catch((error: Error) => {
    if (!error.message.startsWith('NOT_STORED')) throw error;
  });
  const bump = async (mode: string): Promise<unknown> => {
    if (mode === 'incr') return Number(await mc.incr(key, 1));
    if (mode === 'get-set') {
      const got = await mc.get<string>(key);
      if (!got) throw new OpFailed('NOT_FOUND');
      return mc.set(key, String(Number(got.value) + 1));
    }
    for (;;) {
      const got = await mc.gets<string>(key);
      if (!got) throw new OpFailed('NOT_FOUND');
      try {
        return await mc.cas(key, String(Number(got.value) + 1), { casUniq: got.casUniq });
      } catch (error) {
        if ((error as Error).message !== 'EXISTS') throw error;
      }
    }
  };
  return {
    async invoke(op, { signal }) {
      // memcache-client takes no signal: shutting the connection down rejects what is in flight.
      signal.addEventListener('abort', () => mc.shutdown(), { once: true });
      try {
        if (op.f === 'read') {
          const got = await mc.get<string>(key);
          if (!got) throw new OpFailed('NOT_FOUND');
          return Number(got.value);
        }
        return await bump(ctx.params.mode ?? 'incr');
      } catch (error) {
        throw classify(error);
      }
    },
    close: () => mc.shutdown(),
  };
}
