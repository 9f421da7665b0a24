/** A usage or harness problem: reported as one clear line, exit code 2, before any agent starts when possible. */
export class HarnessError extends Error {
  override readonly name = 'HarnessError';
}
