// The report draws whatever a checker's findings say: a user's own checker, unknown to the report, gets
// findings linked to its ops (positions in the op stream, and when they happened) in report.html's data.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkFindings, MAX_FINDING_OPS, MAX_FINDINGS } from '../lib/report/findings.js';
import type { EmbeddedReport } from '../lib/report/embedded.js';
import { writeReportHtml } from '../lib/report/html.js';
import { buildModel } from '../lib/report/model.js';
import type { Summary } from '../lib/run/summary.js';
import type { CheckResult, Checker, OpRecord, OpStream, Plan } from '../lib/types.js';
import { browserForTests, openBrowserTab } from './helpers/chromium.js';

const browser = await browserForTests('findings.test.ts');

const tmp = mkdtempSync(join(tmpdir(), 'stampede-findings-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const AGENTS = 3;
const PER_AGENT = 4;

/** Ops in completion order (not start order), so a position is not derivable from agent and seq. */
const OPS: OpRecord[] = Array.from({ length: AGENTS * PER_AGENT }, (_, n) => {
  const agent = n % AGENTS;
  const seq = Math.floor(n / AGENTS);
  const start = 10 * seq + agent;
  // a1 seq 2 is slow: the user's checker is about it.
  const end = start + (agent === 1 && seq === 2 ? 40 : 1);
  return { agent, seq, f: 'incr', value: 1, outcome: 'ok', result: null, start, end } satisfies OpRecord;
}).sort((a, b) => (a.end ?? 0) - (b.end ?? 0));

/** A stream that counts how often it is read and how many ops it handed out. */
function countingStream(ops: readonly OpRecord[]): OpStream & { passes: number; read: number } {
  const stream = {
    passes: 0,
    read: 0,
    *[Symbol.iterator]() {
      stream.passes++;
      for (const op of ops) {
        stream.read++;
        yield op;
      }
    },
  };
  return stream;
}

/** A checker as a user writes it, in its own words: ops slower than 20 ms, and a pair it cannot order. */
const slowOps: Checker<null> = {
  name: 'slow-ops',
  description: 'no op takes 20 ms or more',
  check({ ops }) {
    const slow = [...ops].filter((op) => op.end !== null && op.end - op.start >= 20);
    return {
      name: 'slow-ops',
      verdict: slow.length === 0 ? 'pass' : 'fail',
      details: `${slow.length} slow op(s)`,
      findings: [
        ...slow.map((op) => ({
          kind: 'slow',
          label: `a${op.agent} seq ${op.seq}: ${op.end! - op.start} ms`,
          ops: [{ agent: op.agent, seq: op.seq }],
        })),
        // Named later first on purpose: `at` is the earliest of its ops, the order is the checker's.
        {
          kind: 'unordered',
          label: 'a2 seq 3 before a0 seq 1',
          ops: [
            { agent: 2, seq: 3 },
            { agent: 0, seq: 1 },
          ],
          agent: 2,
        },
      ],
    };
  },
};

const plan: Plan = {
  format: 1,
  scenario: 'user-counter',
  scenarioSource: '/somewhere/user-counter.ts',
  seed: 1,
  options: {
    agents: AGENTS,
    ops: PER_AGENT,
    timeoutMs: 1000,
    runTimeoutMs: 10_000,
    barrierTimeoutMs: 1000,
    faults: [],
    threads: 1,
  },
  code: { version: '0.0.0', commit: null },
  preloaded: [],
  startOrder: [0, 1, 2],
  agents: Array.from({ length: AGENTS }, (_, id) => ({ id, kind: 'client' as const, thread: 0, faults: [], ops: [] })),
  kills: [],
};

function summaryOf(checks: CheckResult[]): Summary {
  const totals = { attempted: OPS.length, ok: OPS.length, fail: 0, info: 0 };
  return {
    format: 1,
    scenario: plan.scenario,
    seed: plan.seed,
    verdict: checks.some((c) => c.verdict === 'fail') ? 'fail' : 'pass',
    harnessError: null,
    stopReason: null,
    checks,
    agents: [],
    totals,
    startSkewMs: null,
    releaseSkewMs: null,
    durationMs: 100,
    opsPerSec: 120,
    options: plan.options,
    code: plan.code,
    startedAt: '2026-01-01T00:00:00.000Z',
    runDir: tmp,
    replay: 'npx stampede run /somewhere/user-counter.ts --seed 1',
  };
}

/** The data report.html embeds for these checks, and the page itself. */
function report(checks: CheckResult[], name: string): { data: EmbeddedReport; html: string } {
  const path = join(tmp, `${name}.html`);
  writeReportHtml(path, buildModel({ plan, ops: OPS, summary: summaryOf(checks) }));
  const html = readFileSync(path, 'utf8');
  const open = '<script type="application/json" id="stampede-data">';
  const start = html.indexOf(open) + open.length;
  return { data: JSON.parse(html.slice(start, html.indexOf('</script>', start))) as EmbeddedReport, html };
}

const run = (checker: Checker<null>): CheckResult =>
  checker.check({ plan, ops: OPS, state: null, health: [], counters: [], maxUnknownRatio: 0.1 });

describe("a user's checker", () => {
  it('gets clickable findings: positions of its ops in the page data, and when they happened', () => {
    const quiet: CheckResult = { name: 'quiet', verdict: 'pass', details: 'nothing to say, said here' };
    const { data, html } = report([quiet, run(slowOps)], 'user');
    const [none, check] = data.checks;
    // A check without findings gets none; its details are still on the page.
    expect(none?.findings).toEqual([]);
    expect(html).toContain('nothing to say, said here');

    const where = (pos: number): string => `a${data.ops.agent[pos]} seq ${data.ops.seq[pos]}`;
    expect(check?.findings.map((f) => f.kind)).toEqual(['slow', 'unordered']);
    const [slow, unordered] = check?.findings ?? [];
    expect(slow?.ops.map(where)).toEqual(['a1 seq 2']);
    expect(slow?.at).toBe(21);
    expect(unordered?.ops.map(where)).toEqual(['a2 seq 3', 'a0 seq 1']);
    expect(unordered).toMatchObject({ at: 10, agent: 2, opCount: 2 });
    expect(check?.total).toBe(2);
    // Written into the page as links the client script focuses on (data-check is the check's index).
    expect(html).toMatch(
      /<a href="#timeline" class="finding" data-check="1" data-finding="0">a1 seq 2: 40 ms<\/a><span class="muted"> at 21\.0 ms<\/span>/,
    );
  });

  it('reads the ops once, and not at all when no finding names one', () => {
    const stream = countingStream(OPS);
    checkFindings([run(slowOps)], stream);
    expect(stream.passes).toBe(1);
    const quiet = countingStream(OPS);
    checkFindings(
      [
        {
          name: 'harness',
          verdict: 'fail',
          details: 'a1 crashed',
          findings: [{ kind: 'crashed', label: 'a1', agent: 1 }],
        },
      ],
      quiet,
    );
    expect(quiet.passes).toBe(0);
  });

  it('stops reading once every named op is found', () => {
    const first = OPS[0]!;
    const stream = countingStream(OPS);
    const [found] = checkFindings(
      [
        {
          name: 'c',
          verdict: 'fail',
          details: '',
          findings: [{ kind: 'k', label: 'first', ops: [{ agent: first.agent, seq: first.seq }] }],
        },
      ],
      stream,
    );
    expect(found?.findings[0]?.ops).toEqual([0]);
    expect(stream.read).toBe(1);
  });
});

describe('ops a finding names that are not in the history', () => {
  it('are dropped from its links, not crashed on', () => {
    const check = {
      name: 'sloppy',
      verdict: 'fail',
      details: 'named ops that never ran',
      findings: [
        {
          kind: 'partly',
          label: 'one real op among ghosts',
          ops: [
            { agent: 9, seq: 9 },
            { agent: 0, seq: 0 },
            { agent: 0, seq: 99 },
            null,
            { agent: '0', seq: 0 },
            { agent: 0.5, seq: 1 },
          ],
        },
        { kind: 'ghost', label: 'none of its ops ran', ops: [{ agent: 7, seq: 0 }] },
        { kind: 'bare', label: 'names no op' },
      ],
    } as unknown as CheckResult; // as a hand-edited summary.json may hold it
    const [found] = checkFindings([check], OPS);
    const [partly, ghost, bare] = found?.findings ?? [];
    expect(partly?.ops).toEqual([OPS.findIndex((op) => op.agent === 0 && op.seq === 0)]);
    expect(partly?.at).toBe(0);
    expect(ghost).toMatchObject({ ops: [], at: null, opCount: 1 });
    expect(bare).toMatchObject({ ops: [], at: null, opCount: 0 });
  });
});

describe('findings per check', () => {
  it('are bounded, and so are the ops each one links', () => {
    const many: CheckResult = {
      name: 'chatty',
      verdict: 'fail',
      details: 'everything is wrong',
      findings: Array.from({ length: MAX_FINDINGS * 5 }, (_, i) => ({
        kind: 'bad',
        label: `#${i}`,
        ops: [{ agent: i % AGENTS, seq: i % PER_AGENT }],
      })),
    };
    // One finding naming far more ops than it links (most of them not in this small history).
    const wide: CheckResult = {
      name: 'wide',
      verdict: 'fail',
      details: 'one finding about everything',
      findings: [
        {
          kind: 'all',
          label: 'every op',
          ops: Array.from({ length: MAX_FINDING_OPS * 4 }, (_, seq) => ({
            agent: seq % AGENTS,
            seq: Math.floor(seq / AGENTS),
          })),
        },
      ],
    };
    const { data, html } = report([many, wide], 'bounded');
    const [chatty, everything] = data.checks;
    // Both cuts are said on the page, not silent.
    expect(html).toContain(
      `and ${MAX_FINDINGS * 4} more findings not drawn (the report draws a check's first ${MAX_FINDINGS})`,
    );
    expect(html).toContain(`(${OPS.length} of ${MAX_FINDING_OPS * 4} ops linked)`);
    expect(chatty?.findings).toHaveLength(MAX_FINDINGS);
    expect(chatty?.total).toBe(MAX_FINDINGS * 5);
    expect(chatty?.findings.at(-1)?.label).toBe(`#${MAX_FINDINGS - 1}`);
    const all = everything?.findings[0];
    expect(all?.opCount).toBe(MAX_FINDING_OPS * 4);
    // Only the first MAX_FINDING_OPS are looked up; of those, the ones in the history are linked.
    expect(all?.ops).toHaveLength(OPS.length);
    expect(new Set(all?.ops).size).toBe(OPS.length);
  });
});

describe.skipIf(browser === null)("a user's findings in headless chromium", () => {
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[] = [];

  beforeAll(async () => {
    ({ context, page, pageErrors } = await openBrowserTab(browser ?? ''));
  }, 60_000);

  afterAll(async () => {
    await context?.close();
  });

  it('are links that select their ops; "show more" lists the rest with the same dates', async () => {
    const many: CheckResult = {
      name: 'chatty',
      verdict: 'fail',
      details: 'everything is wrong',
      findings: Array.from({ length: MAX_FINDINGS }, (_, i) => ({
        kind: 'bad',
        label: `#${i}`,
        ops: [{ agent: 1, seq: 2 }],
      })),
    };
    report([run(slowOps), many], 'browser');
    await page.goto(pathToFileURL(join(tmp, 'browser.html')).href);
    await page.waitForSelector('html[data-ready="1"]', { timeout: 30_000 });

    await page.locator('#checks a.finding', { hasText: 'a1 seq 2: 40 ms' }).click();
    await expect.poll(() => page.locator('#details').innerText()).toMatch(/a1 seq 2/);
    expect(await page.locator('#details').innerText()).toMatch(/named by[\s\S]*slow-ops: a1 seq 2: 40 ms/);
    expect(await page.locator('a.finding.active').count()).toBe(1);
    expect(Number(await page.getAttribute('#timeline', 'data-marked'))).toBeGreaterThan(0);

    // The page writes the first 100; the client adds the rest, dated as the server dates the first.
    const more = page.locator('#checks button.more');
    await more.click();
    const texts = await page.locator('#findings-1 li').allInnerTexts();
    expect(texts).toHaveLength(MAX_FINDINGS);
    expect(texts[0]).toMatch(/ at 21\.0 ms$/);
    expect(texts.at(-1)).toBe(texts[0]?.replace('#0', `#${MAX_FINDINGS - 1}`));
    expect(await more.count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
