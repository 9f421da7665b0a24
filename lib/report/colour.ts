// Verdicts in colour where a person reads them in a terminal that shows colour: pass green, fail and
// harness error red, unknown yellow. Only the CLI's terminal text is painted: never a file (summary.md,
// junit.xml, summary.json, report.html) and never `--json` output.
import { styleText } from 'node:util';

export type Tone = 'pass' | 'fail' | 'unknown' | 'error';

/** Wraps a verdict's text in its colour, or returns it as it is. */
export type Paint = (tone: Tone, text: string) => string;

export const plain: Paint = (_tone, text) => text;

const STYLE = { pass: 'green', fail: 'red', error: 'red', unknown: 'yellow' } as const;

/** The tone of a run's (or a check's) verdict: a harness error outranks the verdict. */
export function toneOf(verdict: 'pass' | 'fail' | 'unknown', harnessError?: string | null): Tone {
  return harnessError ? 'error' : verdict;
}

/**
 * Whether text for `stream` gets colour. NO_COLOR (any non-empty value) always wins, as no-color.org
 * asks (Node alone would let FORCE_COLOR win). Then FORCE_COLOR, set and not empty, decides even off a
 * terminal: colour, except for `0` and `false`. Otherwise: a terminal that says it has colours (which
 * also heeds TERM=dumb).
 */
export function wantsColour(
  stream: { isTTY?: boolean; hasColors?: (env?: object) => boolean },
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (env.NO_COLOR) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  return stream.isTTY === true && typeof stream.hasColors === 'function' && stream.hasColors(env);
}

export function paintFor(
  stream: { isTTY?: boolean; hasColors?: (env?: object) => boolean },
  env: NodeJS.ProcessEnv = process.env,
): Paint {
  if (!wantsColour(stream, env)) return plain;
  // The decision is made above, by the rules there; styleText's own check of the stream (Node >= 20.18,
  // where FORCE_COLOR beats NO_COLOR) is turned off so it cannot overrule them.
  return (tone, text) => styleText(STYLE[tone], text, { validateStream: false });
}
