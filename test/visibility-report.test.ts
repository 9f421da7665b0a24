// The HTML report's visibility chart and budgets table, on a real run: the exporter reference daemon under
// its slow-export fault (every write seen late), run by the real CLI with a config whose budgets are one that
// cannot hold (`all.max < 0ms`) and one that always does. The page is opened in headless chromium: the
// chart draws every write the check measured, mostly over the budget, and a write's bar is hovered and
// clicked. Nothing depends on the machine's speed: slow-export delays exports by seconds against a 1 s budget.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedReport } from '../lib/report/embedded.js';
import { browserForTests, openBrowserTab } from './helpers/chromium.js';
import { onlyRunDir, readSummary, ROOT, scratchDirs, stampede } from './helpers.js';

const scratch = scratchDirs();
const SCENARIO = join(ROOT, 'dist', 'stress', 'exporter', 'scenario.js');
const browser = await browserForTests('visibility-report.test.ts');

let runDir: string;
let page: string;

/** The page's embedded data, as its script reads it. */
function embedded(html: string): EmbeddedReport {
  const json = /<script type="application\/json" id="stampede-data">([\s\S]*?)<\/script>/.exec(html)?.[1];
  if (!json) throw new Error('report.html embeds no data');
  return JSON.parse(json) as EmbeddedReport;
}

beforeAll(async () => {
  const dir = scratch('visibility-report');
  const config = join(dir, 'stampede.config.mjs');
  writeFileSync(
    config,
    `export default { scenarios: ['unused.ts'], budgets: { 'all.max': '< 0ms', 'all.errorRatio': '<= 100%' } };\n`,
  );
  const results = join(dir, 'results');
  const run = await stampede(
    ['run', SCENARIO, '--fault', 'slow-export', '--seed', '11', '--results', results, '--config', config],
    { env: { CI: 'true', STAMPEDE_BUDGET_MULTIPLIER: '' } },
  );
  expect(run.exitCode, run.stdout + run.stderr).toBe(1);
  runDir = onlyRunDir(results);
  page = readFileSync(join(runDir, 'report.html'), 'utf8');
}, 120_000);

describe('report.html of a run with visibility and budgets', () => {
  it("embeds the visibility check's per-write bounds and draws a budgets table", () => {
    const summary = readSummary(runDir);
    const vis = summary.checks.find((c) => c.name === 'visibility');
    expect(vis?.verdict).toBe('fail');
    const perWrite = (vis?.data as { perWrite: { ack: number[]; every: number } }).perWrite;
    const data = embedded(page).visibility;
    expect(data?.ack).toEqual(perWrite.ack);
    expect(data).toMatchObject({ budgetMs: 1000, percentile: 95, every: perWrite.every });
    expect(data?.high.length).toBe(perWrite.ack.length);
    expect(page).toContain('<canvas id="visibility-chart"');
    expect(page).toContain('dashed: the p95 budget of 1.00 s');

    const budgets = /<section id="budgets">([\s\S]*?)<\/section>/.exec(page)?.[1] ?? '';
    expect(budgets).toContain('Budget multiplier 1 (default;');
    expect(budgets).toMatch(
      /<tr class="fail"><td class="text">all\.max<\/td><td>[\d.]+ m?s<\/td><td class="text">&lt; 0 ms<\/td><td class="text">FAIL \(budget\)<\/td><\/tr>/,
    );
    expect(budgets).toMatch(/<tr class="pass"><td class="text">all\.errorRatio<\/td>/);
  });

  it('a run without a visibility check has no visibility chart and no budgets section', async () => {
    const results = scratch('no-visibility');
    const run = await stampede([
      'run',
      'mixed-ops',
      '--seed',
      '3',
      '--ops',
      '5',
      '--results',
      results,
      '--reporter',
      'html',
    ]);
    expect(run.exitCode, run.stderr).toBe(0);
    const other = readFileSync(join(onlyRunDir(results), 'report.html'), 'utf8');
    expect(other).not.toContain('<canvas id="visibility-chart"');
    expect(other).not.toContain('id="budgets"');
    expect(embedded(other).visibility).toBeUndefined();
  });
});

describe.skipIf(browser === null)('the visibility chart in headless chromium', () => {
  let context: BrowserContext;
  let tab: Page;
  let pageErrors: string[] = [];

  beforeAll(async () => {
    ({ context, page: tab, pageErrors } = await openBrowserTab(browser ?? ''));
  }, 60_000);

  afterAll(async () => {
    await context?.close();
  });

  it('draws every measured write, mostly red over the budget; hover names a write, click selects it', async () => {
    await tab.goto(pathToFileURL(join(runDir, 'report.html')).href);
    await tab.waitForSelector('html[data-ready="1"]', { timeout: 30_000 });
    const count = embedded(page).visibility?.ack.length ?? 0;
    expect(count).toBeGreaterThan(10);
    expect(Number(await tab.getAttribute('#visibility-chart', 'data-drawn'))).toBe(count);
    const [red, green] = await tab.evaluate(() => {
      const canvas = document.getElementById('visibility-chart') as HTMLCanvasElement;
      const px =
        canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? new Uint8ClampedArray();
      let r = 0;
      let g = 0;
      for (let i = 0; i < px.length; i += 4) {
        if (px[i] === 224 && px[i + 1] === 49 && px[i + 2] === 49) r++;
        if (px[i] === 47 && px[i + 1] === 158 && px[i + 2] === 68) g++;
      }
      return [r, g];
    });
    expect(red).toBeGreaterThan(500);
    expect(red).toBeGreaterThan(green);

    // Sweep the plot until the tooltip names a write; a click there selects that write's op.
    await tab.locator('#visibility-chart').scrollIntoViewIfNeeded();
    const box = await tab.locator('#visibility-chart').boundingBox();
    expect(box).not.toBeNull();
    const y = (box?.y ?? 0) + (box?.height ?? 0) / 2;
    let x = 0;
    for (let at = 70; at < (box?.width ?? 0) - 14 && x === 0; at += 3) {
      await tab.mouse.move((box?.x ?? 0) + at, y);
      if (await tab.locator('#tooltip').isVisible()) x = (box?.x ?? 0) + at;
    }
    expect(x).toBeGreaterThan(0);
    const tip = await tab.locator('#tooltip').innerText();
    expect(tip).toMatch(/^a\d+ seq \d+, acknowledged at [\d.]+ m?s\nvisible to others after /);
    expect(tip).toContain('budget 1.00 s (p95)');
    const [, agent, seq] = /^a(\d+) seq (\d+)/.exec(tip) ?? [];
    await tab.mouse.click(x, y);
    await expect.poll(() => tab.locator('#details').innerText()).toContain(`a${agent} seq ${seq}`);
    expect(await tab.locator('#details').innerText()).toContain('set');
    expect(pageErrors).toEqual([]);
  });
});
