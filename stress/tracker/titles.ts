// Titles for created issues: unique per op (`a3-7`), and often awkward on purpose, so that any shell
// or quoting in the path between harness and target would show up as a lost or mangled item.
import type { Rng } from '../../lib/plan/rng.js';

export const AWKWARD_SUFFIXES: readonly string[] = [
  ' "double quoted"',
  " 'single quoted'",
  ' $(echo injected)',
  ' `whoami`',
  '   spaced   out  ',
  ' line one\nline two',
  ' héllo ✓ 日本語 🚀',
  ' ;&|<>*?~!#',
  ' \\back\\slash\\',
  ' -rf --json',
  ' %PATH% ^& tab\there',
];

/** `a<agent>-<seq>`, plus an awkward suffix on about a third of ops. */
export function issueTitle(agent: number, seq: number, rng: Rng, part?: number): string {
  const base = part === undefined ? `a${agent}-${seq}` : `a${agent}-${seq}.${part}`;
  return rng.chance(0.35) ? base + rng.pick(AWKWARD_SUFFIXES) : base;
}
