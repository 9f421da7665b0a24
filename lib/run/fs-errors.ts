// File-system errors as one actionable line. Node's own message ("ENOSPC: no space left on device,
// write") names neither the file (a write on a descriptor has no path) nor what to do, and a stack trace
// under it reads like a harness bug when the disk is merely full.
import { HarnessError } from './errors.js';

interface Known {
  /** What went wrong, in words. */
  what: string;
  /** What the user can do about it. */
  todo: string;
}

const KNOWN: Readonly<Record<string, Known>> = {
  ENOSPC: { what: 'no space left on device', todo: 'free some space or point --results at another disk' },
  EDQUOT: { what: 'disk quota exceeded', todo: 'free some space within your quota or point --results at another disk' },
  EACCES: { what: 'permission denied', todo: 'check its permissions or point --results at a folder you can write to' },
  EPERM: {
    what: 'operation not permitted',
    todo: 'check its permissions or point --results at a folder you can write to',
  },
  EROFS: { what: 'read-only file system', todo: 'point --results at a writable disk' },
  ENOTDIR: { what: 'a part of the path is a file, not a folder', todo: 'move that file or choose another path' },
  EISDIR: { what: 'it is a folder, not a file', todo: 'remove or rename that folder, or choose another path' },
  EEXIST: { what: 'it already exists', todo: 'remove it or choose another path' },
  ENOENT: { what: 'no such file or folder', todo: 'check that the path exists' },
  EMFILE: { what: 'too many open files', todo: 'raise the limit (ulimit -n) or run fewer agents or threads' },
};

const VERBS: Readonly<Record<string, string>> = {
  open: 'open',
  write: 'write',
  read: 'read',
  mkdir: 'create the folder',
  rename: 'rename',
  unlink: 'remove',
  rmdir: 'remove',
  rm: 'remove',
  scandir: 'list',
  copyfile: 'copy',
  ftruncate: 'truncate',
  fsync: 'flush',
  close: 'close',
  stat: 'look at',
  lstat: 'look at',
  access: 'reach',
};

/** Node's own errno message: `ENOSPC: no space left on device, write` or `EACCES: permission denied, open '/x'`. */
const NODE_MESSAGE = /^(E[A-Z]+): [^,\n]*, (\w+)(?: '([^'\n]*)')?/;

interface Errno {
  code: string;
  syscall?: string;
  path?: string;
}

/**
 * One line for a file-system error the user can act on (disk full, no permission, a file where a folder
 * should be, ...), or null for anything else (a real bug keeps its stack). Also reads the codes out of
 * an error's message, because an error sent from a worker thread arrives without its `code` and `path`.
 */
export function describeFsError(error: unknown): string | null {
  if (!(error instanceof Error)) return null;
  if (error instanceof FsError) return error.message;
  const errno = errnoOf(error);
  if (errno) return errnoLine(errno);
  // A harness message that wraps one (`could not write the log X: ENOSPC: ...`) already names its file.
  const wrapped = /\b(E[A-Z]+)\b/.exec(error.message)?.[1];
  return wrapped && wrapped in KNOWN ? (error.message.split('\n')[0] as string) : null;
}

function errnoOf(error: Error): Errno | null {
  const { code, syscall, path } = error as NodeJS.ErrnoException;
  if (typeof code === 'string' && code in KNOWN) return { code, syscall, path };
  const match = NODE_MESSAGE.exec(error.message);
  if (match && (match[1] as string) in KNOWN) return { code: match[1] as string, syscall: match[2], path: match[3] };
  return null;
}

function errnoLine({ code, syscall, path }: Errno): string {
  const known = KNOWN[code] as Known;
  const verb = syscall ? (VERBS[syscall] ?? syscall) : 'use';
  return `cannot ${verb}${path ? ` ${path}` : ''}: ${known.what} (${code}); ${known.todo}`;
}

/**
 * A file the harness was writing could not be written: one line naming it (a HarnessError, so every
 * command prints it as it is and exits 2). Keeps `code` and `path` for callers that tell errors apart.
 */
export class FsError extends HarnessError {
  readonly code: string | undefined;
  readonly path: string;

  constructor(message: string, path: string, code: string | undefined, cause: unknown) {
    super(message, { cause });
    this.path = path;
    this.code = code;
  }
}

/** `error`, from writing (`syscall`) the file at `path`, as an FsError naming that file. */
export function fsError(error: unknown, path: string, syscall = 'write'): FsError {
  const { code, message } = error as NodeJS.ErrnoException;
  const known = typeof code === 'string' && code in KNOWN;
  const line = known ? errnoLine({ code, syscall, path }) : `cannot ${VERBS[syscall] ?? syscall} ${path}: ${message}`;
  return new FsError(line, path, code, error);
}
