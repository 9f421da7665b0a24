// The wire format between a worker thread and its stampede-spawn helper (documented at the top of
// stampede-spawn.c): 1 byte type, u32 little-endian body length, body. Length-prefixed, so values with
// newlines, quotes or any other bytes need no escaping.

export interface StartRequest {
  id: number;
  /** argv[0] is the program's absolute path. */
  argv: readonly string[];
  env: Record<string, string>;
  cwd: string;
  /** Fork now, exec at `encodeGate(id)` (the helper answers `ready`, then `started` once it is open). */
  gated?: boolean;
}

export type Reply =
  | { type: 'ready'; id: number; pid: number }
  /** monotonicNs: when it was let go (spawned, or its gate opened); ranNs: when it got past its gate (= monotonicNs ungated). */
  | { type: 'started'; id: number; pid: number; monotonicNs: bigint; ranNs: bigint }
  | { type: 'failed'; id: number; errno: number; message: string }
  | { type: 'output'; id: number; fd: 1 | 2; data: Buffer }
  | { type: 'exited'; id: number; signaled: boolean; codeOrSignal: number; monotonicNs: bigint };

function checkedBytes(text: string, what: string): Buffer {
  // A C string ends at NUL: such an argument could not arrive byte for byte, so it is refused (as Node does).
  if (text.includes('\0')) throw new Error(`${what} holds a NUL character: ${JSON.stringify(text.slice(0, 80))}`);
  return Buffer.from(text, 'utf8');
}

function frame(type: string, body: Buffer[]): Buffer {
  const length = body.reduce((sum, b) => sum + b.length, 0);
  const head = Buffer.allocUnsafe(5);
  head.write(type, 0, 'latin1');
  head.writeUInt32LE(length, 1);
  return Buffer.concat([head, ...body], 5 + length);
}

function u32(value: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32LE(value, 0);
  return b;
}

function strings(values: readonly string[], what: string): Buffer[] {
  const out = [u32(values.length)];
  for (const value of values) {
    const bytes = checkedBytes(value, what);
    out.push(u32(bytes.length), bytes);
  }
  return out;
}

export function encodeStart(req: StartRequest): Buffer {
  const env = Object.entries(req.env).map(([key, value]) => `${key}=${value}`);
  const cwd = checkedBytes(req.cwd, 'the working directory');
  return frame('S', [
    u32(req.id),
    u32(req.gated ? 1 : 0),
    ...strings(req.argv, 'an argument'),
    ...strings(env, 'an environment variable'),
    u32(cwd.length),
    cwd,
  ]);
}

export function encodeKill(id: number): Buffer {
  return frame('K', [u32(id)]);
}

export function encodeGate(id: number): Buffer {
  return frame('G', [u32(id)]);
}

/** Cuts the helper's stdout into replies; chunks may split frames anywhere. */
export class ReplyDecoder {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly onReply: (reply: Reply) => void) {}

  push(chunk: Buffer): void {
    let buf = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    let at = 0;
    while (buf.length - at >= 5) {
      const length = buf.readUInt32LE(at + 1);
      if (buf.length - at - 5 < length) break;
      this.onReply(decode(buf[at] as number, buf.subarray(at + 5, at + 5 + length)));
      at += 5 + length;
    }
    // Keep only the unfinished frame, copied, so a big chunk is not held for a few bytes.
    buf = buf.subarray(at);
    this.pending = buf.length > 0 ? Buffer.from(buf) : Buffer.alloc(0);
  }

  /** Bytes of an unfinished frame (non-zero when the helper died mid-frame). */
  get leftover(): number {
    return this.pending.length;
  }
}

function decode(type: number, body: Buffer): Reply {
  const id = body.readUInt32LE(0);
  switch (String.fromCharCode(type)) {
    case 'R':
      return { type: 'ready', id, pid: body.readUInt32LE(4) };
    case 'P':
      return {
        type: 'started',
        id,
        pid: body.readUInt32LE(4),
        monotonicNs: body.readBigUInt64LE(8),
        ranNs: body.readBigUInt64LE(16),
      };
    case 'F':
      return { type: 'failed', id, errno: body.readUInt32LE(4), message: body.subarray(8).toString('utf8') };
    case 'O': {
      const fd = body[4];
      if (fd !== 1 && fd !== 2) throw new Error(`stampede-spawn sent output for fd ${fd} (expected 1 or 2)`);
      return { type: 'output', id, fd, data: body.subarray(5) };
    }
    case 'X':
      return {
        type: 'exited',
        id,
        signaled: body[4] === 1,
        codeOrSignal: body.readUInt32LE(5),
        monotonicNs: body.readBigUInt64LE(9),
      };
    default:
      throw new Error(`stampede-spawn sent an unknown frame type ${JSON.stringify(String.fromCharCode(type))}`);
  }
}
