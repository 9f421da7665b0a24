// Which files a user's TypeScript imports are loaded by Node itself rather than through tsx: installed
// packages' JavaScript and stampede's own compiled files. tsx marks everything a user's file imports with
// the file's namespace (a query on the URL or filename); Node then loads such a module again, as a
// separate copy, and in a CommonJS project tsx's CommonJS transform require()s ES-module packages, which
// breaks on ESM-only dependencies (execa's unicorn-magic). Unmarked, Node loads them as published
// (require(esm) on Node >= 20.19) and the user's `import 'stampede'` is the stampede that is running.
import Module from 'node:module';
import { join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** A JavaScript file of an installed package, or of stampede's own dist folder. */
export function leftToNode(path: string, dist: string): boolean {
  return /\.[cm]?js$/.test(path) && (path.startsWith(dist) || path.split(sep).includes('node_modules'));
}

// tsx's marks: the query parameter it adds to an ES-module URL, and to a CommonJS filename. Only these
// go: other queries stay (tsx registers its own hooks module with a query so that each registration
// gets a fresh instance of it).
const ESM_MARK = 'tsx-namespace';
const CJS_MARK = 'namespace';

/** A resolved ES-module URL without tsx's mark when Node should load the file itself. */
export function unmarkedUrl(url: string, dist: string): string {
  if (!url.startsWith('file:')) return url;
  const parsed = new URL(url);
  if (!parsed.searchParams.has(ESM_MARK)) return url;
  parsed.searchParams.delete(ESM_MARK);
  return leftToNode(fileURLToPath(parsed), dist) ? parsed.href : url;
}

/** A resolved CommonJS filename without tsx's mark when Node should load the file itself. */
export function unmarkedFilename(filename: string, dist: string): string {
  const query = filename.indexOf('?');
  if (query === -1) return filename;
  const path = filename.slice(0, query);
  const params = new URLSearchParams(filename.slice(query + 1));
  if (!params.has(CJS_MARK) || !leftToNode(path, dist)) return filename;
  params.delete(CJS_MARK);
  return params.size > 0 ? `${path}?${params}` : path;
}

type ResolveFilename = (this: unknown, request: string, ...rest: unknown[]) => string;
interface Resolved {
  url: string;
}
type SyncResolve = (specifier: string, context: unknown, next: (s: string, c: unknown) => Resolved) => Resolved;
const nodeModule = Module as unknown as {
  // CommonJS resolution, which tsx wraps the same way: Node has no public hook for require() before 22.15.
  _resolveFilename: ResolveFilename;
  // Node >= 22.15: in-thread hooks for import and require (tsx uses them where it can).
  registerHooks?: (hooks: { resolve: SyncResolve }) => unknown;
};

/**
 * Unmark packages' files from now on. Call it right after registering tsx, each time: the hooks
 * registered last run first, so these see what that registration of tsx resolved.
 */
export function leavePackagesToNode(dist: string): void {
  const previous = nodeModule._resolveFilename;
  nodeModule._resolveFilename = function (request, ...rest) {
    return unmarkedFilename(previous.call(this, request, ...rest), dist);
  };
  if (nodeModule.registerHooks) {
    nodeModule.registerHooks({
      resolve: (specifier, context, next) => {
        const resolved = next(specifier, context);
        return { ...resolved, url: unmarkedUrl(resolved.url, dist) };
      },
    });
  } else {
    // Node 20: the same on the loader thread (left-to-node-hooks.ts, compiled in dist).
    Module.register(pathToFileURL(join(dist, 'lib', 'scenarios', 'left-to-node-hooks.js')), { data: { dist } });
  }
}
