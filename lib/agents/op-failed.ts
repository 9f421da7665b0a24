// What a client module throws when an op definitely did not happen (`fail`). Any other throw, an abort or
// a deadline leaves the op's outcome unknown (`info`). Recognised by a registered symbol, not instanceof,
// so a client that imports stampede from another copy (its sources, another version) is understood alike.
const BRAND = Symbol.for('stampede.OpFailed');

export class OpFailed extends Error {
  override readonly name = 'OpFailed';
  readonly [BRAND] = true;
}

export function isOpFailed(error: unknown): error is Error {
  return typeof error === 'object' && error !== null && (error as { [BRAND]?: boolean })[BRAND] === true;
}
