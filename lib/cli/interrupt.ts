// Ctrl-C, SIGTERM (what `timeout`, CI cancellation and process managers send) and SIGHUP (a closed terminal)
// for every long command: the first stops all agents and the service and writes partial results (planning
// included: it stops between ops); later ones remind. The live progress bars are taken down before the
// notice, so the terminal is left with the notice and the results, not frozen bars.
// Windows has no SIGTERM from other processes; Ctrl-C there arrives as SIGINT, which is handled alike.
import { INTERRUPTS, type InterruptSignal } from '../run/interrupts.js';
import { stopLiveProgress } from '../progress/terminal.js';

export async function withInterrupt<T>(
  work: (signal: AbortSignal) => Promise<T>,
): Promise<{ value: T; interrupted: boolean }> {
  const controller = new AbortController();
  const stopOn = (signalName: InterruptSignal) => (): void => {
    stopLiveProgress();
    if (controller.signal.aborted) {
      process.stderr.write('stampede: still stopping: killing agents and writing partial results\n');
      return;
    }
    process.stderr.write(`stampede: ${INTERRUPTS[signalName]}: killing agents and writing partial results\n`);
    controller.abort(INTERRUPTS[signalName]);
  };
  const handlers = (Object.keys(INTERRUPTS) as InterruptSignal[]).map((name) => [name, stopOn(name)] as const);
  for (const [name, handler] of handlers) process.on(name, handler);
  try {
    const value = await work(controller.signal);
    return { value, interrupted: controller.signal.aborted };
  } finally {
    for (const [name, handler] of handlers) process.off(name, handler);
  }
}
