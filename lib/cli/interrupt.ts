// Ctrl-C for every long command: the first stops all agents and writes partial results; later ones remind.
export async function withInterrupt<T>(work: (signal: AbortSignal) => Promise<T>): Promise<{ value: T; interrupted: boolean }> {
  const controller = new AbortController();
  const onSigint = (): void => {
    if (controller.signal.aborted) process.stderr.write('stampede: still stopping: killing agents and writing partial results\n');
    else process.stderr.write('\nstampede: interrupted: killing agents and writing partial results\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    const value = await work(controller.signal);
    return { value, interrupted: controller.signal.aborted };
  } finally {
    process.off('SIGINT', onSigint);
  }
}

