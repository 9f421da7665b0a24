// What `npm pack` ships: a LICENSE, source maps whose sources are in the package, and a CLI that says its
// version. (Installing the tarball into fresh projects is not tested yet.)
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { ROOT, stampede } from './helpers.js';

describe('the package', () => {
  it('ships a LICENSE and the sources its source maps point at', async () => {
    // --ignore-scripts: listing the files needs no build (npm test has built already).
    const pack = await execa('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, shell: false });
    const files = new Set((JSON.parse(pack.stdout) as { files: { path: string }[] }[])[0]?.files.map((f) => normalize(f.path)));
    expect(files.has('LICENSE')).toBe(true);
    const maps = [...files].filter((f) => f.endsWith('.js.map'));
    expect(maps.length).toBeGreaterThan(50);
    const missing: string[] = [];
    for (const map of maps) {
      expect(existsSync(join(ROOT, map)), map).toBe(true);
      const { sources } = JSON.parse(readFileSync(join(ROOT, map), 'utf8')) as { sources: string[] };
      for (const source of sources) {
        const shipped = normalize(join(dirname(map), source));
        if (!files.has(shipped)) missing.push(`${map} -> ${shipped}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('says its version', async () => {
    const run = await stampede(['--version']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
  });
});
