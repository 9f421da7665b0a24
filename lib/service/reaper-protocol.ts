// Messages between the harness and its reaper (over Node's IPC channel, JSON).

export type ReaperRequest =
  | { type: 'start'; command: string; args: string[]; cwd: string; env: Record<string, string> }
  | { type: 'signal'; signal: NodeJS.Signals };

export type ReaperMessage =
  | { type: 'pid'; pid: number }
  | { type: 'exit'; code: number | null; signal: NodeJS.Signals | null }
  | { type: 'error'; message: string };
