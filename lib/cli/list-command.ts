import { FAULTS } from '../faults/catalog.js';
import { EXIT, type ExitCode } from '../run/exit-codes.js';
import { loadScenario, suiteNames } from '../scenarios/load.js';

export async function listCommand(options: { faults?: boolean }): Promise<ExitCode> {
  if (options.faults) {
    for (const fault of FAULTS) process.stdout.write(`${fault.name.padEnd(20)} ${fault.scope.padEnd(9)} ${fault.description}\n`);
    return EXIT.pass;
  }
  for (const name of suiteNames()) {
    const { scenario } = await loadScenario(name);
    const shape = `${scenario.agents.count} ${scenario.agents.kind} x ${scenario.workload.opsPerAgent}`;
    process.stdout.write(`${name.padEnd(20)} ${shape.padEnd(18)} ${scenario.description}\n`);
  }
  return EXIT.pass;
}
