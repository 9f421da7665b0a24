// Why a user's file did not load, on one line, with what to do about it.
import { HarnessError } from '../run/errors.js';

/** A HarnessError naming `what` and the file, the loader's message, and one instruction. */
export function loadFailure(what: string, path: string, error: unknown): HarnessError {
  const message = oneLine(error instanceof Error ? error.message : String(error));
  return new HarnessError(`could not load ${what} ${path}: ${message} (${whatToDo(error)})`, { cause: error });
}

/**
 * The loader's message on one line: esbuild's "Transform failed with 1 error:" header and Node's
 * "Require stack:" dropped, and without tsx's namespace queries on the paths it names.
 */
function oneLine(message: string): string {
  const lines = message.split('\n');
  const stack = lines.findIndex((line) => line.startsWith('Require stack:'));
  const kept = (stack === -1 ? lines : lines.slice(0, stack)).filter(
    (line) => line.trim() !== '' && !/^Transform failed with \d+ errors?:$/.test(line),
  );
  return kept
    .join('; ')
    .replace(/\?(tsx-)?namespace=[\w.-]+/g, '')
    .trim();
}

/** One short instruction for the usual reasons a user's file does not load. */
function whatToDo(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const text = error instanceof Error ? error.message : String(error);
  const missing = /Cannot find (?:package|module) '([^']+)'/.exec(text)?.[1];
  if (missing && (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND')) {
    if (/^[./]|^[A-Za-z]:[\\/]|^file:/.test(missing)) return `fix the import path ${JSON.stringify(missing)}`;
    const name = missing
      .split('/')
      .slice(0, missing.startsWith('@') ? 2 : 1)
      .join('/');
    return `install ${name} in this project: npm install --save-dev ${name}`;
  }
  if (/Top-level await is currently not supported with the "cjs" output format/.test(text))
    return 'top-level await needs an ES module: name the file .mts, or set "type": "module" in package.json';
  if (code === 'ERR_REQUIRE_ASYNC_MODULE')
    return 'a CommonJS file cannot require() an ES module that uses top-level await: import it from an ES module (.mts)';
  if (code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') return "import a path that the package's package.json exports";
  if (code === 'ERR_UNKNOWN_FILE_EXTENSION') return 'give a .ts, .mts, .cts, .js or .mjs file';
  if (error instanceof SyntaxError || /^Transform failed/.test(text)) return 'fix the syntax error';
  return 'it threw while loading: fix the file, or what it imports, so that it loads';
}
