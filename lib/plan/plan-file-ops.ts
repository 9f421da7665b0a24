// One agent's ops, read back from plan.json a chunk at a time on every pass. Worker threads drive their
// agents from these and the checkers read them, so nobody holds a run's ops in memory: an agent costs one
// small buffer while it is being read, whatever its op count.
import { closeSync, openSync, readSync } from 'node:fs';
import type { PlannedOp, PlannedOps } from '../types.js';

/** Where one agent's ops are in plan.json: bytes [start, end) between its ops array's brackets. Plain data, so it crosses to a worker thread. */
export interface PlanOpsRange {
  path: string;
  agent: number;
  start: number;
  end: number;
  /** How many ops the range holds. */
  length: number;
}

/** About 50 ops of a session plan; a larger op grows the buffer for that pass. */
const CHUNK_BYTES = 8 * 1024;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

export class PlanFileOps implements PlannedOps {
  constructor(readonly range: PlanOpsRange) {}

  get length(): number {
    return this.range.length;
  }

  /** The first op, if the agent has any. */
  first(): PlannedOp | undefined {
    for (const op of this) return op;
    return undefined;
  }

  /**
   * Splits the range into its top-level JSON objects by counting brackets outside strings (UTF-8 never puts
   * an ASCII byte inside a multi-byte character, so scanning bytes is safe), and parses each one.
   */
  *[Symbol.iterator](): Iterator<PlannedOp, undefined> {
    const { start, end } = this.range;
    let buf = Buffer.allocUnsafe(CHUNK_BYTES);
    let at = start; // file position of buf[0]: everything before it has been given out
    let given = 0;
    while (at < end) {
      const got = this.read(buf, Math.min(buf.length, end - at), at);
      let depth = 0;
      let inString = false;
      let escaped = false;
      let opStart = -1;
      let consumed: number;
      for (let i = 0; i < got; i++) {
        const byte = buf[i] as number;
        if (inString) {
          if (escaped) escaped = false;
          else if (byte === BACKSLASH) escaped = true;
          else if (byte === QUOTE) inString = false;
        } else if (byte === QUOTE) {
          inString = true;
        } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
          if (depth++ === 0) opStart = i;
        } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
          if (--depth === 0) {
            yield this.parse(buf.toString('utf8', opStart, i + 1), given++);
          }
        }
      }
      if (depth === 0) {
        consumed = got; // only separators after the last whole op
      } else {
        if (at + got >= end) throw this.error(`the ops array ends inside op #${given}`);
        consumed = opStart;
        // An op larger than the buffer: read it again into one twice the size.
        if (opStart === 0) buf = Buffer.allocUnsafe(buf.length * 2);
      }
      at += consumed;
    }
    if (given !== this.range.length) throw this.error(`found ${given} ops where the plan has ${this.range.length}`);
    return undefined;
  }

  private parse(text: string, seq: number): PlannedOp {
    try {
      return JSON.parse(text) as PlannedOp;
    } catch (error) {
      throw this.error(`op #${seq} does not parse (${(error as Error).message})`);
    }
  }

  /** Exactly `length` bytes at `position`, or an error: the range was measured when the file was written. */
  private read(buf: Buffer, length: number, position: number): number {
    const fd = openSync(this.range.path, 'r');
    try {
      let got = 0;
      while (got < length) {
        const n = readSync(fd, buf, got, length - got, position + got);
        if (n === 0) throw this.error(`the file ends at byte ${position + got}, inside the agent's ops`);
        got += n;
      }
      return got;
    } finally {
      closeSync(fd);
    }
  }

  private error(what: string): Error {
    const { path, agent, start, end } = this.range;
    return new Error(
      `${path}, agent a${agent}'s ops (bytes ${start}-${end}): ${what}. plan.json must not change while its run reads it; replay the run from its seed`,
    );
  }
}
