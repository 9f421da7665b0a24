// Ctrl-C and SIGTERM (what `timeout`, CI cancellation and process managers send) for every long command:
// the first stops all agents and the service and writes partial results; later ones remind.
// Windows has no SIGTERM from other processes; Ctrl-C there arrives as SIGINT, which is handled alike.
export async function withInterrupt<T>(work: (signal: AbortSignal) => Promise<T>): Promise<{ value: T; interrupted: boolean }> {
  const controller = new AbortController();
  const stopOn = (signalName: 'SIGINT' | 'SIGTERM') => (): void => {
    if (controller.signal.aborted) {
      process.stderr.write('stampede: still stopping: killing agents and writing partial results\n');
      return;
    }
    const why = signalName === 'SIGINT' ? 'interrupted' : 'terminated (SIGTERM)';
    process.stderr.write(`\nstampede: ${why}: killing agents and writing partial results\n`);
    controller.abort(signalName === 'SIGINT' ? 'interrupted (Ctrl-C)' : 'terminated (SIGTERM)');
  };
  const onSigint = stopOn('SIGINT');
  const onSigterm = stopOn('SIGTERM');
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  try {
    const value = await work(controller.signal);
    return { value, interrupted: controller.signal.aborted };
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
  }
}
