// `stampede list`: the default suite, one line per scenario; `--faults`: the faults, one line each.
import { FAULTS } from '../faults/catalog.js';
import { alignColumns } from '../report/table.js';
import { EXIT, type ExitCode } from '../run/exit-codes.js';
import { loadScenario, suiteNames } from '../scenarios/load.js';

export async function listCommand(options: { faults?: boolean }): Promise<ExitCode> {
  const rows: string[][] = [];
  if (options.faults) {
    for (const fault of FAULTS) rows.push([fault.name, fault.scope, fault.description]);
  } else {
    for (const name of suiteNames()) {
      const { scenario } = await loadScenario(name);
      rows.push([name, `${scenario.agents.count} ${scenario.agents.kind} x ${scenario.workload.opsPerAgent}`, scenario.description]);
    }
  }
  for (const line of alignColumns(rows, ['l', 'l', 'l'])) process.stdout.write(`${line}\n`);
  return EXIT.pass;
}
