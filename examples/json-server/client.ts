// One HTTP connection per agent (undici) to json-server. Ops:
//   add   POST /items {title}            -> {id}        (the set model's add)
//   incr  GET /counters/c, PATCH value+1 -> the new value (a client-side read-modify-write)
// A non-2xx answer means json-server changed nothing (fail); a refused connection means nothing was sent
// (fail); a reset, a closed socket or an abort leaves the op unknown (info).
import { Agent, request } from 'undici';
import { OpFailed, type Client, type OpContext } from 'stampede';

export function open(ctx: OpContext): Client {
  const origin = `http://${ctx.service?.host}:${ctx.service?.port}`;
  const dispatcher = new Agent({ connections: 1 });
  const call = async (method: 'GET' | 'POST' | 'PATCH', path: string, signal: AbortSignal, body?: unknown) => {
    try {
      const res = await request(`${origin}${path}`, {
        method,
        dispatcher,
        signal,
        headers: { 'content-type': 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.body.text();
      if (res.statusCode < 200 || res.statusCode > 299) throw new OpFailed(`${method} ${path}: HTTP ${res.statusCode}`);
      return JSON.parse(text) as { id: number; value?: number };
    } catch (error) {
      if ((error as { code?: string }).code === 'ECONNREFUSED') throw new OpFailed((error as Error).message);
      throw error;
    }
  };
  return {
    async invoke(op, { signal }) {
      const value = op.value as { key: string };
      if (op.f === 'add') return { id: (await call('POST', '/items', signal, { title: value.key })).id };
      const { value: now = 0 } = await call('GET', `/counters/${value.key}`, signal);
      return (await call('PATCH', `/counters/${value.key}`, signal, { value: now + 1 })).value;
    },
    close: () => dispatcher.close(),
  };
}
