// `stampede list`: the default suite (or the named scenarios), one line per scenario; `--faults`: the
// faults each scenario's target can carry (its own and the harness's), one line each.
import { faultsFor } from '../faults/catalog.js';
import { alignColumns } from '../report/table.js';
import { EXIT, type ExitCode } from '../run/exit-codes.js';
import { loadScenario, suiteNames } from '../scenarios/load.js';

export async function listCommand(refs: string[], options: { faults?: boolean }): Promise<ExitCode> {
  const rows: string[][] = [];
  const names = refs.length > 0 ? refs : suiteNames();
  if (options.faults) {
    // One block per target: scenarios of one target share its faults.
    const seen = new Set<string>();
    for (const name of names) {
      const { scenario } = await loadScenario(name);
      if (seen.has(scenario.target.name)) continue;
      seen.add(scenario.target.name);
      for (const fault of faultsFor(scenario.target))
        rows.push([
          fault.name,
          scenario.target.name,
          fault.scope,
          fault.description + (fault.caughtBy ? ` (caught by ${fault.caughtBy.join(', ')})` : ''),
        ]);
    }
  } else {
    for (const name of names) {
      const { scenario } = await loadScenario(name);
      rows.push([
        name,
        `${scenario.agents.count} ${scenario.agents.kind} x ${scenario.workload.opsPerAgent}`,
        scenario.description,
      ]);
    }
  }
  for (const line of alignColumns(rows, rows[0]?.map(() => 'l' as const) ?? [])) process.stdout.write(`${line}\n`);
  return EXIT.pass;
}
