// Messages from a worker thread to its agent reaper (lib/reaper/agent-reaper-process.ts), over Node's IPC
// channel (JSON). The reaper answers nothing: its one act is to kill, once the channel closes.

/**
 * A process group to kill should the thread go without saying; one that ended and needs no killing.
 * `orAlone`: a session agent started through `stampede-spawn --exec-in-own-group`, which makes its group only
 * once it runs: when no group is led by `pid`, the process itself is killed.
 */
export type AgentReaperRequest = { type: 'watch'; pid: number; orAlone?: true } | { type: 'unwatch'; pid: number };

/** The reaper's one message to the thread: its listeners are attached, so nothing sent from now on is missed. */
export type AgentReaperReport = { type: 'ready' };

/** The reaper's one argument: it was forked by the harness (as opposed to run by hand). */
export const FORKED_BY_HARNESS = '--forked-by-harness';
