// stampede/vitest: a scenario as one vitest test, and a failure that says what happened.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stress, stressTest, StressFailure } from '../dist/lib/vitest.js';
import { FIXTURES, scratchDirs } from './helpers.js';

const scratch = scratchDirs();
const BROKEN = join(FIXTURES, 'broken-scenario.ts');

describe('stampede/vitest', () => {
  // The helper itself defines this test, with a timeout from the scenario's run deadline.
  stressTest('stressTest: a scenario that passes is a passing test', BROKEN, {
    resultsDir: scratch('vitest-pass'),
    reporters: ['json'],
  });

  it('stress: a run that does not pass throws with the verdict, the table, the results folder and the replay', async () => {
    const resultsDir = scratch('vitest-fail');
    const failure = await stress(BROKEN, {
      resultsDir,
      params: { break: 'read-state' },
      seed: 5,
      reporters: ['json'],
    }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(StressFailure);
    const message = (failure as StressFailure).message;
    expect(message).toMatch(
      /^broken-fixture seed 5: harness error: target broken: readState failed: store unreachable: connection refused \(exit 2\)/,
    );
    expect(message).toContain('harness-health');
    expect(message).toContain(`results: ${resultsDir}`);
    expect(message).toMatch(/replay: {2}npx stampede run .*broken-scenario\.ts --seed 5 /);
    expect((failure as StressFailure).result.summary.verdict).toBeDefined();
  });
});
