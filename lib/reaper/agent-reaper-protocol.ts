// Messages from a worker thread to its agent reaper (lib/reaper/agent-reaper-process.ts), over Node's IPC
// channel (JSON). The reaper answers nothing: its one act is to kill, once the channel closes.

/** A process group to kill should the thread go without saying; one that ended and needs no killing. */
export type AgentReaperRequest = { type: 'watch'; pid: number } | { type: 'unwatch'; pid: number };

/** The reaper's one argument: it was forked by the harness (as opposed to run by hand). */
export const FORKED_BY_HARNESS = '--forked-by-harness';
