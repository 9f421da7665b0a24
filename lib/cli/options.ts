// Parsing and checking command-line values: one clear line for anything wrong.
import { InvalidArgumentError } from 'commander';
import { SPAWNER_CHOICES, type SpawnerChoice } from '../agents/launch/choose.js';
import { parseSeed } from '../plan/seed.js';
import { LIMITS, MAX_TIMER_MS } from '../run/limits.js';

/** A whole number from 1 to `max`. */
export function positiveInt(name: string, max: number): (text: string) => number {
  return (text) => {
    const value = Number(text.trim());
    if (!/^\d+$/.test(text.trim()) || value < 1 || value > max)
      throw new InvalidArgumentError(
        `${name} must be a whole number from 1 to ${max.toLocaleString('en-US')}, got ${JSON.stringify(text)}`,
      );
    return value;
  };
}

/** A whole number from 0 to `max` (`--trim 0`: no run dropped). */
export function wholeNumber(name: string, max: number): (text: string) => number {
  return (text) => {
    const value = Number(text.trim());
    if (!/^\d+$/.test(text.trim()) || value > max)
      throw new InvalidArgumentError(
        `${name} must be a whole number from 0 to ${max.toLocaleString('en-US')}, got ${JSON.stringify(text)}`,
      );
    return value;
  };
}

/** Repeatable `--figure create.p95`; whether the scenario has a budget on it is checked when it is loaded. */
export function figureOption(text: string, previous: string[] = []): string[] {
  const figures = text
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f.length > 0);
  if (figures.length === 0) throw new InvalidArgumentError(`--figure must name a figure such as create.p95, got ""`);
  return [...previous, ...figures.filter((f) => !previous.includes(f))];
}

export function seedOption(text: string): number {
  try {
    return parseSeed(text);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

/** Repeatable `--fault NAME`; whether the target can carry it is checked when the scenario is known. */
export function faultOption(text: string, previous: string[] = []): string[] {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(text))
    throw new InvalidArgumentError(
      `--fault must be a fault name (lower-case words joined by '-'), got ${JSON.stringify(text)}`,
    );
  return previous.includes(text) ? previous : [...previous, text];
}

/** Repeatable `--param key=value`: a scenario parameter (the scenario declares which it has). */
export function paramOption(text: string, previous: Record<string, string> = {}): Record<string, string> {
  const match = /^([A-Za-z_][\w.-]*)=(.*)$/s.exec(text);
  if (!match) throw new InvalidArgumentError(`--param must be key=value, got ${JSON.stringify(text)}`);
  return { ...previous, [match[1] as string]: match[2] as string };
}

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
type Unit = keyof typeof UNIT_MS;

/**
 * A duration like `500ms`, `30s`, `10m` or `2h`, in ms. A bare number is in `bareUnit` (ms for the op and
 * run deadlines, as they always were; seconds for hunt's time limit). At least 1 ms, at most what a Node
 * timer can hold (about 24.8 days): a longer one would fire at once.
 */
export function durationOption(name: string, bareUnit: Unit): (text: string) => number {
  return (text) => {
    const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
    if (!match)
      throw new InvalidArgumentError(
        `${name} must be a duration like 500ms, 30s, 10m or 2h (a bare number is ${bareUnit === 'ms' ? 'milliseconds' : 'seconds'}), got ${JSON.stringify(text)}`,
      );
    const ms = Math.round(Number(match[1]) * UNIT_MS[(match[2] ?? bareUnit) as Unit]);
    if (ms < 1 || ms > MAX_TIMER_MS)
      throw new InvalidArgumentError(
        `${name} must be from 1ms to ${MAX_TIMER_MS}ms (24.8 days), got ${JSON.stringify(text)}`,
      );
    return ms;
  };
}

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/** `--shard i/n`: this job runs every n-th unit of work, starting from the i-th (1-based). */
export function shardOption(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count || count > LIMITS.shards)
    throw new InvalidArgumentError(
      `--shard must be i/n with 1 <= i <= n <= ${LIMITS.shards}, got ${JSON.stringify(text)}`,
    );
  return { index, count };
}

/** `--spawner auto|native|node`. */
export function spawnerOption(text: string): SpawnerChoice {
  if (!(SPAWNER_CHOICES as readonly string[]).includes(text))
    throw new InvalidArgumentError(
      `--spawner must be one of ${SPAWNER_CHOICES.join(', ')}, got ${JSON.stringify(text)}`,
    );
  return text as SpawnerChoice;
}

/** The flags that shape one run (bin/stampede.ts `withRunFlags`), as `run` and `gate` receive them. */
export interface RunFlags {
  seed?: number;
  agents?: number;
  ops?: number;
  timeout?: number;
  runTimeout?: number;
  fault?: string[];
  param?: Record<string, string>;
  threads?: number;
  spawner?: SpawnerChoice;
  reporter?: string[];
  /** Default: the config's, else `results`. */
  results?: string;
  /** A stampede.config.ts other than the current folder's. */
  config?: string;
}
