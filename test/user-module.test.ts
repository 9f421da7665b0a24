// A user's TypeScript (.ts, .mts, .cts) loads in CommonJS and ES-module projects alike, sees the running
// stampede rather than a copy of its own, and a file that does not load is named with what to do.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { FIXTURES, ROOT, scratchDirs } from './helpers.js';

const scratch = scratchDirs();
const API = pathToFileURL(join(ROOT, 'dist', 'lib', 'index.js')).href;
const LOADER = join(FIXTURES, 'load-user-modules.mjs');

/** A scratch project of that kind holding `files` (name -> source). */
function project(kind: 'module' | 'commonjs', files: Record<string, string>): string {
  const dir = scratch(`${kind}-project`);
  writeFileSync(join(dir, 'package.json'), kind === 'module' ? '{ "type": "module" }\n' : '{}\n');
  for (const [name, source] of Object.entries(files)) writeFileSync(join(dir, name), source);
  return dir;
}

async function load(dir: string, names: string[]): Promise<Record<string, unknown>[]> {
  const run = await execa(process.execPath, [LOADER, ...names.map((name) => join(dir, name))], { shell: false });
  return run.stdout.split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('user modules', () => {
  it.each(['module', 'commonjs'] as const)(
    'a %s project: .ts, .mts and .cts files load and import the running stampede; CommonJS ones see their __dirname',
    async (kind) => {
      const names = ['user.ts', 'user.mts', 'user.cts'];
      const source = (name: string) =>
        [
          `import { defineScenario } from '${API}';`,
          'export { defineScenario };',
          "export const dirname = typeof __dirname === 'undefined' ? undefined : __dirname;",
          `export default '${name}';`,
        ].join('\n');
      const dir = project(kind, Object.fromEntries(names.map((name) => [name, source(name)])));
      const commonJs = (name: string) => name.endsWith('.cts') || (kind === 'commonjs' && name.endsWith('.ts'));
      expect(await load(dir, names)).toEqual(
        names.map((name) => ({
          file: join(dir, name),
          default: name,
          sameStampede: true,
          ...(commonJs(name) ? { dirname: dir } : {}),
        })),
      );
    },
  );

  it('a file that does not load is named, with what to do', async () => {
    const dir = project('commonjs', {
      'syntax.ts': `export default { name: 'x' \n`,
      'package.ts': `import { thing } from 'no-such-package';\nexport default thing;\n`,
      'path.ts': `import { thing } from './nowhere.js';\nexport default thing;\n`,
      'await.cts': `export default await Promise.resolve(1);\n`,
      'throws.ts': `throw new Error('not configured');\n`,
    });
    const errors = (await load(dir, ['syntax.ts', 'package.ts', 'path.ts', 'await.cts', 'throws.ts'])).map(
      (line) => line.error,
    );
    const file = (name: string) => `could not load test file ${join(dir, name)}: `;
    expect(errors).toEqual([
      expect.stringMatching(new RegExp(`^${escape(file('syntax.ts'))}.*Expected.* \\(fix the syntax error\\)$`)),
      `${file('package.ts')}Cannot find module 'no-such-package' (install no-such-package in this project: npm install --save-dev no-such-package)`,
      `${file('path.ts')}Cannot find module './nowhere.js' (fix the import path "./nowhere.js")`,
      expect.stringMatching(
        new RegExp(
          `^${escape(file('await.cts'))}.*Top-level await .* \\(top-level await needs an ES module: name the file \\.mts, or set "type": "module" in package\\.json\\)$`,
        ),
      ),
      `${file('throws.ts')}not configured (it threw while loading: fix the file, or what it imports, so that it loads)`,
    ]);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
