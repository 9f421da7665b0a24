// Module resolve hook for Node versions without module.registerHooks: registered with module.register
// (it runs on the loader thread), after tsx's own hooks, so it sees what tsx resolved and unmarks
// packages' files (see left-to-node.ts).
import { unmarkedUrl } from './left-to-node.js';

interface Resolved {
  url: string;
  format?: string | null;
  shortCircuit?: boolean;
}

let dist = '';

export function initialize(data: { dist: string }): void {
  dist = data.dist;
}

export async function resolve(
  specifier: string,
  context: unknown,
  next: (specifier: string, context: unknown) => Promise<Resolved>,
): Promise<Resolved> {
  const resolved = await next(specifier, context);
  return { ...resolved, url: unmarkedUrl(resolved.url, dist) };
}
