// The page's data: the JSON html-data.ts embeds, parsed once, and the indexes the drawing and the hit
// testing read (typed arrays, ops per lane in invoke order, which ops a checker names).
import type { EmbeddedOps, EmbeddedReport, OutcomeCode } from '../embedded.js';

export interface Run {
  readonly report: EmbeddedReport;
  readonly ops: EmbeddedOps;
  /** How many ops. */
  readonly n: number;
  /** The run's time range (ms since it started), never empty. */
  readonly full0: number;
  readonly full1: number;
  readonly span0: number;
  /** Each op's invoke time. */
  readonly startArr: Float64Array;
  /** Each op's completion time; a pending op runs to the end of the run. */
  readonly endArr: Float64Array;
  /** Op positions in invoke order. */
  readonly byStart: Int32Array;
  /** Per lane (agent), its ops' positions in invoke order. */
  readonly lanes: readonly Int32Array[];
  /** 1 for an op some finding links. */
  readonly inFinding: Uint8Array;
  /** Per op some finding links: [check, finding] of each. */
  readonly opFindings: ReadonlyMap<number, readonly (readonly [number, number])[]>;
  /** The latency axis' range (ms, log scale): the fastest and slowest answered ops. */
  readonly latLo: number;
  readonly latHi: number;
}

/** The JSON embedded in the page. */
export function readReport(doc: Document): EmbeddedReport {
  const text = doc.getElementById('stampede-data')?.textContent;
  if (!text) throw new Error('report.html: its data (script#stampede-data) is missing; the page was cut short');
  return JSON.parse(text) as EmbeddedReport;
}

export const outcomeOf = (ops: EmbeddedOps, op: number): OutcomeCode => ops.outcome[op] as OutcomeCode;

export function opName(run: Run, op: number): string {
  return 'a' + run.ops.agent[op] + ' seq ' + run.ops.seq[op];
}

export function indexRun(D: EmbeddedReport): Run {
  const O = D.ops;
  const N = O.agent.length;
  const full0 = D.range.start;
  let full1 = D.range.end;
  if (!(full1 > full0)) full1 = full0 + 1;
  const span0 = full1 - full0;
  const startArr = new Float64Array(N);
  const endArr = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    startArr[i] = O.start[i];
    endArr[i] = O.end[i] < 0 ? full1 : O.end[i];
  }
  // Ops in start order (the embedded ops come in completion order; no sort when they happen to be in order).
  const byStart = new Int32Array(N);
  let sorted = true;
  for (let i = 0; i < N; i++) {
    byStart[i] = i;
    if (i > 0 && startArr[i] < startArr[i - 1]) sorted = false;
  }
  if (!sorted) byStart.sort((x, y) => startArr[x] - startArr[y]);
  const laneLists: number[][] = [];
  for (let a = 0; a < D.lanes; a++) laneLists.push([]);
  for (let k = 0; k < N; k++) {
    const i = byStart[k];
    laneLists[O.agent[i]]?.push(i);
  }
  const lanes = laneLists.map((l) => Int32Array.from(l));

  const inFinding = new Uint8Array(N);
  const opFindings = new Map<number, [number, number][]>();
  D.checks.forEach((c, ci) => {
    c.findings.forEach((f, fi) => {
      f.ops.forEach((o) => {
        inFinding[o] = 1;
        let l = opFindings.get(o);
        if (!l) opFindings.set(o, (l = []));
        l.push([ci, fi]);
      });
    });
  });

  let latLo = Infinity;
  let latHi = 0;
  for (let i = 0; i < N; i++) {
    if (O.end[i] < 0) continue;
    const lat = O.end[i] - O.start[i];
    if (lat > 0 && lat < latLo) latLo = lat;
    if (lat > latHi) latHi = lat;
  }
  if (!(latLo < Infinity)) {
    latLo = 0.01;
    latHi = 1;
  }
  latLo = Math.max(latLo, 0.001);
  if (!(latHi > latLo)) latHi = latLo * 10;

  return {
    report: D,
    ops: O,
    n: N,
    full0,
    full1,
    span0,
    startArr,
    endArr,
    byStart,
    lanes,
    inFinding,
    opFindings,
    latLo,
    latHi,
  };
}

/** First position in idx (op positions sorted by invoke time) whose op starts at or after t. */
export function lowerBound(startArr: Float64Array, idx: Int32Array, t: number): number {
  let lo = 0;
  let hi = idx.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (startArr[idx[mid]] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
