// Parsing and checking command-line values: one clear line for anything wrong.
import { InvalidArgumentError } from 'commander';
import { FAULT_NAMES } from '../faults/catalog.js';
import { parseSeed } from '../plan/seed.js';

export function positiveInt(name: string): (text: string) => number {
  return (text) => {
    if (!/^\d+$/.test(text.trim()) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) throw new InvalidArgumentError(`${name} must be a positive integer, got ${JSON.stringify(text)}`);
    return Number(text);
  };
}

export function seedOption(text: string): number {
  try {
    return parseSeed(text);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

/** Repeatable `--fault NAME`; the name is checked against the catalog. */
export function faultOption(text: string, previous: string[] = []): string[] {
  if (!FAULT_NAMES.includes(text)) throw new InvalidArgumentError(`unknown fault ${JSON.stringify(text)}; known: ${FAULT_NAMES.join(', ')}`);
  return previous.includes(text) ? previous : [...previous, text];
}
