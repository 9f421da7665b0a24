// A connection to the exporter daemon: JSON lines over TCP, answers matched to requests by id. Used by
// the client agents and by the target's readState.
import * as net from 'node:net';
import * as readline from 'node:readline';
import type { ExporterStats, Response } from './protocol.js';

type Pending = { resolve: (res: Response) => void; reject: (error: Error) => void };

export class DaemonConnection {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private closedBecause: Error | null = null;

  private constructor(private readonly socket: net.Socket) {
    const lines = readline.createInterface({ input: socket, crlfDelay: Infinity });
    lines.on('line', (line) => this.onLine(line));
    // readline passes the socket's errors on (ECONNRESET when the daemon is killed): both are handled.
    lines.on('error', (error) => this.fail(error));
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new Error('the daemon closed the connection')));
  }

  static connect(host: string, port: number): Promise<DaemonConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.createConnection({ host, port });
      socket.setNoDelay(true);
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new DaemonConnection(socket));
      });
    });
  }

  /** Send one request; resolves with its answer (ok or not), rejects when the connection breaks first. */
  request(body: { op: string; [key: string]: unknown }, signal?: AbortSignal): Promise<Response> {
    if (this.closedBecause) return Promise.reject(this.closedBecause);
    const id = this.nextId++;
    return new Promise<Response>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // An abandoned request leaves the connection in an unknown state: close it (the harness reopens).
      signal?.addEventListener('abort', () => this.close(), { once: true });
      this.socket.write(`${JSON.stringify({ id, ...body })}\n`);
    });
  }

  /** The daemon's counts, once no export is pending or running. */
  async settle(): Promise<ExporterStats> {
    const res = await this.request({ op: 'settle' });
    if (!res.ok || !res.stats) throw new Error(`settle: ${res.ok ? 'no stats in the answer' : res.error}`);
    return res.stats;
  }

  close(): void {
    this.fail(new Error('connection closed'));
    this.socket.destroy();
  }

  private onLine(line: string): void {
    let res: Response;
    try {
      res = JSON.parse(line) as Response;
    } catch (error) {
      this.fail(new Error(`the daemon answered with a line that is not JSON: ${line.slice(0, 120)}`, { cause: error }));
      this.socket.destroy();
      return;
    }
    const waiting = this.pending.get(res.id);
    if (!waiting) {
      this.fail(new Error(`the daemon answered id ${res.id}, which no request is waiting for`));
      this.socket.destroy();
      return;
    }
    this.pending.delete(res.id);
    waiting.resolve(res);
  }

  private fail(error: Error): void {
    this.closedBecause ??= error;
    for (const waiting of this.pending.values()) waiting.reject(this.closedBecause);
    this.pending.clear();
  }
}
