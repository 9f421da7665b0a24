// The README stays true: its example is the example file that test/examples.test.ts runs, and every
// file it links to exists.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

describe('README.md', () => {
  it('shows examples/taskwarrior/scenario.ts as it is (after its header comment)', () => {
    const file = readFileSync(join(ROOT, 'examples/taskwarrior/scenario.ts'), 'utf8');
    const code = file.slice(file.indexOf('import '));
    const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```\n/g)].map((m) => m[1]);
    expect(blocks).toContain(code);
  });

  it('and docs/*.md link only to files that exist', () => {
    const pages = [
      'README.md',
      ...readdirSync(join(ROOT, 'docs'))
        .filter((f) => f.endsWith('.md'))
        .map((f) => `docs/${f}`),
    ];
    let links = 0;
    for (const page of pages) {
      const text = readFileSync(join(ROOT, page), 'utf8');
      for (const [, link] of text.matchAll(/\]\(([^)#\s]+)[^)]*\)/g)) {
        if (/^https?:/.test(link!)) continue;
        links++;
        expect(existsSync(join(ROOT, dirname(page), link!)), `${page} links to ${link}`).toBe(true);
      }
    }
    expect(links).toBeGreaterThan(10);
  });

  it('is under 25 KB', () => {
    expect(Buffer.byteLength(readme)).toBeLessThan(25 * 1024);
  });
});
