// The agent reaper: a small Node process beside a worker thread that starts agent processes itself (execa:
// the `node` spawner's exec agents, session agents). The thread names every process it started ({watch})
// and every one that ended ({unwatch}). The moment the IPC channel closes (the harness exited, crashed or
// was SIGKILLed, or the thread closed it at the end of its run) the reaper kills the process group of every
// process still watched, and exits. A run that ended normally has unwatched everything: it just exits.
// The harness starts it in a process group of its own (POSIX), so a SIGKILL of the harness's whole group
// (a CI job cancelled, `kill -9 -PGID`) takes the harness but leaves the reaper to clean up.
//   node agent-reaper-process.js   (forked with an 'ipc' channel; see agent-reaper-protocol.ts)
import { FORKED_BY_HARNESS, type AgentReaperReport, type AgentReaperRequest } from './agent-reaper-protocol.js';
import { signalGroupSync } from './kill-group.js';

if (!process.connected) {
  // Forked, but the channel closed before this process got going: the thread sends nothing before this
  // process says it is ready (see the end of this file), so nothing was watched and nothing is left to guard.
  if (process.argv.includes(FORKED_BY_HARNESS)) process.exit(0);
  process.stderr.write(
    'stampede agent reaper: started without an IPC channel; it is forked by the harness, not run by hand\n',
  );
  process.exit(2);
}

/** Each watched pid, and whether it may not lead its group yet (then the process alone is killed). */
const watched = new Map<number, boolean>();

/** Kill every watched group, then exit. One failure does not spare the others; each is reported. */
function reapAndExit(): never {
  let failed = 0;
  for (const [pid, orAlone] of watched) {
    try {
      signalGroupSync(pid, 'SIGKILL', orAlone);
    } catch (error) {
      failed += 1;
      process.stderr.write(
        `stampede agent reaper: could not kill agent process group ${pid}: ${(error as Error).message}\n`,
      );
    }
  }
  process.exit(failed > 0 ? 1 : 0);
}

process.on('message', (raw) => {
  const request = raw as AgentReaperRequest;
  if (request.type === 'watch') watched.set(request.pid, request.orAlone === true);
  else if (request.type === 'unwatch') watched.delete(request.pid);
});
// Messages the thread sent before its end are read before the end of the channel: nothing watched is missed.
process.on('disconnect', reapAndExit);
// Ctrl-C (sent to a foreground group the reaper is not in on POSIX, but is on Windows): the harness decides
// how its agents stop, not the terminal.
process.on('SIGINT', () => undefined);
// Asked to go by anyone but the harness (kill, a closing terminal): the agents go first.
process.on('SIGTERM', reapAndExit);
process.on('SIGHUP', reapAndExit);
// Listening: the thread waits for this before it hands over its first process. The module loads
// asynchronously (ESM), and a channel that closed before the listeners above were attached would take
// whatever was sent in it along.
process.send?.({ type: 'ready' } satisfies AgentReaperReport);
