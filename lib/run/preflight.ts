// Before any agent starts: is the target's program there? A missing binary is one clear line, not N
// identical spawn failures after the barrier (seed 002: a test that assumed a binary had been built).
import { existsSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import which from 'which';
import { HarnessError } from './errors.js';

export async function checkCommand(command: string, args: readonly string[], targetName: string): Promise<void> {
  const hasPath = isAbsolute(command) || command.includes('/') || command.includes('\\');
  if (hasPath) {
    if (!existsSync(command) || !statSync(command).isFile())
      throw new HarnessError(
        `target ${targetName}: program ${command} does not exist (build or install it, or fix the scenario's command)`,
      );
  } else if ((await which(command, { nothrow: true })) === null) {
    throw new HarnessError(
      `target ${targetName}: program ${JSON.stringify(command)} is not on PATH (install it, or give its absolute path in the scenario)`,
    );
  }
  // An interpreter's script (node dist/bin/cli.js) is the usual thing to be missing: not built yet.
  const script = args[0];
  if (script !== undefined && isAbsolute(script) && /\.(m?js|cjs|ts|py|rb|sh)$/.test(script) && !existsSync(script)) {
    throw new HarnessError(
      `target ${targetName}: script ${script} does not exist (run \`npm run build\` if it is compiled, or fix the scenario's args)`,
    );
  }
}
