// store-parses: a torn write or two writers sharing one temp file leaves lines that do not parse.
// The target's readState reports them in `state.corruption` instead of dropping them; any such line fails the run.
import type { CheckInput, CheckResult, Checker, WithCorruption } from '../types.js';
import { listSome, plural, quote, result } from './words.js';

const NAME = 'store-parses';

export const storeParses: Checker<WithCorruption> = {
  name: NAME,
  description: 'every line of the final store parses (no torn or interleaved writes)',
  check(input: CheckInput<WithCorruption>): CheckResult {
    const corruption = input.state?.corruption ?? [];
    const data = {
      corruption: corruption.map((c) => ({ file: c.file, line: c.line, text: c.text.slice(0, 120), error: c.error })),
    };
    if (corruption.length === 0) return result(NAME, 'pass', 'store parses: no corrupt lines', data);
    const words = corruption.map((c) => `${c.file}:${c.line} does not parse: ${quote(c.text, 120)}`);
    return result(NAME, 'fail', `corruption (${plural(corruption.length, 'line')}): ${listSome(words, 5, '; ')}`, data);
  },
};
