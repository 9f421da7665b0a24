// Switchable faults of the exporter daemon, each a bug class of seed 003's event-driven design, read from
// STAMPEDE_FAULTS when the daemon starts.
import { HARNESS_FAULTS, type FaultSpec } from '../../lib/faults/catalog.js';

/** Every fault the exporter understands. */
export const EXPORTER_FAULTS = [
  'slow-export', // the export window is seconds (EXPORTER_SLOW_EXPORT_MS), as the 5 s polling loop was
  'no-debounce', // every mutation is exported on its own: an event storm becomes a storm of exports
  'fsync-per-record', // the export fsyncs after each record it writes, not once per export
  'debounce-reset', // seed 003's debouncer: 500 ms, restarted by each mutation, so a steady stream starves it
] as const;

export type ExporterFault = (typeof EXPORTER_FAULTS)[number];

/** Each fault and the checker that should catch it: the detection matrix holds them to it. */
export const EXPORTER_FAULT_SPECS: FaultSpec[] = [
  {
    name: 'slow-export',
    scope: 'process',
    description: 'exports seconds after a mutation instead of within 50 ms: visibility over budget',
    caughtBy: ['visibility'],
  },
  {
    name: 'no-debounce',
    scope: 'process',
    description: 'one export per mutation under a burst: more exports than a 50 ms window allows',
    caughtBy: ['export-batching'],
  },
  {
    name: 'fsync-per-record',
    scope: 'process',
    description: 'fsyncs after every record of an export instead of once per export (real fsyncs)',
    caughtBy: ['export-fsyncs'],
  },
  {
    name: 'debounce-reset',
    scope: 'process',
    description: "seed 003's debouncer (500 ms, restarted by every mutation): steady writes postpone the export",
    caughtBy: ['visibility'],
  },
];

export function isExporterFault(name: string): name is ExporterFault {
  return (EXPORTER_FAULTS as readonly string[]).includes(name);
}

/**
 * Faults from a comma list (`"no-debounce, slow-export"`); an unknown name throws, naming the known ones.
 * The service's list also carries the harness's own nemeses (kill, restart, pause): the harness does
 * those, so they are not the daemon's to refuse.
 */
export function parseExporterFaults(list: string | undefined): Set<ExporterFault> {
  const faults = new Set<ExporterFault>();
  for (const raw of (list ?? '').split(',')) {
    const name = raw.trim();
    if (name === '' || HARNESS_FAULTS.some((f) => f.name === name)) continue;
    if (!isExporterFault(name))
      throw new Error(
        `unknown fault ${JSON.stringify(name)} in STAMPEDE_FAULTS (the exporter knows: ${EXPORTER_FAULTS.join(', ')})`,
      );
    faults.add(name);
  }
  return faults;
}
