// A user's module by path (a scenario, config, matrix or client module): TypeScript (.ts, .mts, .cts)
// through tsx, so a project needs no build step of its own, in ES-module and CommonJS projects alike;
// JavaScript as it is. Packages the file imports, stampede among them, are loaded by Node as published
// (left-to-node.ts), so the user's `import 'stampede'` is the running stampede, not a second copy.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { leavePackagesToNode } from './left-to-node.js';
import { loadFailure } from './load-error.js';

export type ModuleExports = { default?: unknown; [name: string]: unknown };

/** stampede's compiled files; from source (vitest runs lib/ as .ts, its URLs may carry a query) the dist beside it. */
const DIST = fileURLToPath(
  new URL(new URL(import.meta.url).pathname.endsWith('.ts') ? '../../dist/' : '../../', import.meta.url),
);

/** Import `path`; a failure is a HarnessError naming `what` and the file, and saying what to do. */
export async function importUserModule(path: string, what: string): Promise<ModuleExports> {
  try {
    if (/\.[cm]?ts$/.test(path)) return await importTypeScript(path);
    return commonJsInterop(await import(pathToFileURL(path).href));
  } catch (error) {
    throw loadFailure(what, path, error);
  }
}

async function importTypeScript(path: string): Promise<ModuleExports> {
  // What tsx's tsImport does (a CommonJS and an ES-module registration sharing a fresh namespace, so a
  // file edited since an earlier load is read again), then the hooks that leave packages to Node.
  const [esm, cjs] = await Promise.all([import('tsx/esm/api'), import('tsx/cjs/api')]);
  const namespace = randomUUID();
  const tsxRequire = cjs.register({ namespace });
  const tsx = esm.register({ namespace });
  leavePackagesToNode(DIST);
  // A CommonJS file goes through require(): through import() on Node 20, tsx gives it a wrong __dirname.
  if (isCommonJs(path)) return commonJsInterop({ default: tsxRequire.require(path, import.meta.url) as unknown });
  return (await tsx.import(pathToFileURL(path).href, import.meta.url)) as ModuleExports;
}

/** CommonJS by Node's rules: .cts, or .ts where the nearest package.json does not say "type": "module". */
function isCommonJs(path: string): boolean {
  if (path.endsWith('.cts')) return true;
  if (path.endsWith('.mts')) return false;
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) return packageType(manifest) !== 'module';
    if (dirname(dir) === dir) return true;
  }
}

function packageType(manifest: string): unknown {
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: unknown }).type;
  } catch (error) {
    throw new Error(`${manifest} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * A CommonJS file compiled from `export default ...` (a .cts, or a .ts in a CommonJS project) exports
 * module.exports with `__esModule`; its exports are module.exports, as TypeScript's esModuleInterop reads them.
 */
function commonJsInterop(namespace: ModuleExports): ModuleExports {
  const exports = namespace.default;
  return exports && typeof exports === 'object' && (exports as { __esModule?: unknown }).__esModule === true
    ? (exports as ModuleExports)
    : namespace;
}
