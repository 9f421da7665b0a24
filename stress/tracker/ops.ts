// The tracker's ops, shared by the CLI (one process per op) and the session agent, so that an
// op behaves identically whichever kind of agent drives it.
import type { Json } from '../../lib/types.js';
import { hangForever, type FaultSet } from './faults.js';
import {
  STATUSES,
  TrackerError,
  mutate,
  noStoreError,
  readStore,
  storeExists,
  type Issue,
  type StoreDoc,
} from './store.js';

/** A mutation that may appear inside a batch. */
export type SubOp =
  { f: 'create'; title: string } | { f: 'update'; id: string; status: string } | { f: 'comment'; id: string };

export type TrackerOp =
  SubOp | { f: 'show'; id: string } | { f: 'list' } | { f: 'ready' } | { f: 'batch'; ops: SubOp[] };

export const OP_NAMES = ['create', 'update', 'comment', 'show', 'list', 'ready', 'batch'] as const;

function invalid(what: string): TrackerError {
  return new TrackerError(what, 'see `tracker --help` for the op shapes');
}

function asObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalid(`${what} must be a JSON object`);
  return value as Record<string, unknown>;
}

function str(obj: Record<string, unknown>, key: string, what: string): string {
  const v = obj[key];
  if (typeof v !== 'string') throw invalid(`${what} needs a string "${key}"`);
  return v;
}

function status(obj: Record<string, unknown>, what: string): string {
  const s = str(obj, 'status', what);
  if (!(STATUSES as readonly string[]).includes(s))
    throw invalid(`${what}: status must be one of ${STATUSES.join(', ')}, got ${JSON.stringify(s)}`);
  return s;
}

function parseSubOp(raw: unknown, index: number): SubOp {
  const what = `batch op ${index}`;
  const o = asObject(raw, what);
  const value = asObject(o.value, `${what} value`);
  switch (o.f) {
    case 'create':
      return { f: 'create', title: str(value, 'title', what) };
    case 'update':
      return { f: 'update', id: str(value, 'id', what), status: status(value, what) };
    case 'comment':
      return { f: 'comment', id: str(value, 'id', what) };
    default:
      throw invalid(`${what}: f must be create, update or comment, got ${JSON.stringify(o.f)}`);
  }
}

/** Check an op's name and argument (as the harness and the session protocol spell them). */
export function parseOp(f: string, value: unknown): TrackerOp {
  const v = value === undefined || value === null ? {} : asObject(value, `${f} value`);
  switch (f) {
    case 'create':
      return { f, title: str(v, 'title', f) };
    case 'update':
      return { f, id: str(v, 'id', f), status: status(v, f) };
    case 'comment':
    case 'show':
      return { f, id: str(v, 'id', f) };
    case 'list':
    case 'ready':
      return { f };
    case 'batch': {
      if (!Array.isArray(v.ops)) throw invalid('batch needs "ops": an array of {f, value}');
      return { f, ops: v.ops.map(parseSubOp) };
    }
    default:
      throw invalid(`unknown op ${JSON.stringify(f)} (known: ${OP_NAMES.join(', ')})`);
  }
}

/** Apply one mutation to the doc; returns its result. */
function applySubOp(doc: StoreDoc, op: SubOp): Json {
  switch (op.f) {
    case 'create':
      return { id: doc.create(op.title).id };
    case 'update': {
      const issue = doc.get(op.id);
      doc.put({ ...issue, status: op.status });
      return { id: op.id };
    }
    case 'comment': {
      const issue = doc.get(op.id);
      const comments = (typeof issue.comments === 'number' ? issue.comments : 0) + 1;
      doc.put({ ...issue, comments });
      return { id: op.id, comments };
    }
  }
}

/** Read the store for show/list/ready; corrupt lines are reported on stderr, never hidden. */
function readItems(workspace: string): Issue[] {
  if (!storeExists(workspace)) throw noStoreError(workspace);
  const { items, corruption } = readStore(workspace);
  for (const c of corruption) process.stderr.write(`tracker: warning: ${c.file}:${c.line} is corrupt (${c.error})\n`);
  return items;
}

/** Perform an op synchronously and return its result. */
export function performOp(workspace: string, op: TrackerOp, faults: FaultSet): Json {
  switch (op.f) {
    case 'create':
    case 'update':
    case 'comment':
      return mutate(workspace, faults, op.f === 'create', (doc) => applySubOp(doc, op));
    case 'batch':
      // One locked read-modify-write for all: a sub-op that throws aborts before anything is written.
      return mutate(
        workspace,
        faults,
        op.ops.some((o) => o.f === 'create'),
        (doc) => {
          const ids: string[] = [];
          for (const sub of op.ops) {
            const result = applySubOp(doc, sub);
            if (sub.f === 'create') ids.push((result as { id: string }).id);
          }
          return { ids };
        },
      );
    case 'show': {
      const issue = readItems(workspace).find((i) => i.id === op.id);
      if (!issue) throw new TrackerError(`no such issue ${op.id}`, 'see `tracker list`');
      return { ...issue };
    }
    case 'list':
      return readItems(workspace).map((i) => ({ ...i }));
    case 'ready':
      return readItems(workspace)
        .filter((i) => i.status === 'open')
        .map((i) => ({ ...i }));
  }
}

/** Perform an op, honouring the `hang` fault (which strikes before the lock is taken). */
export async function runOp(workspace: string, op: TrackerOp, faults: FaultSet): Promise<Json> {
  if (faults.has('hang')) return hangForever();
  return performOp(workspace, op, faults);
}
