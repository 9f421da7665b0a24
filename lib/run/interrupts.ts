// The signals that stop a run the way Ctrl-C does (agents and service killed, partial results written,
// exit 2), and the stop reason each one leaves in summary.json.
export const INTERRUPTS = {
  SIGINT: 'interrupted (Ctrl-C)',
  SIGTERM: 'terminated (SIGTERM)',
  // A closed terminal or ssh session.
  SIGHUP: 'hung up (SIGHUP)',
} as const;

export type InterruptSignal = keyof typeof INTERRUPTS;
export type InterruptReason = (typeof INTERRUPTS)[InterruptSignal];

/** A run stopped by a signal: its verdict is partial and counts toward no tally. */
export function wasInterrupted(stopReason: string | null): stopReason is InterruptReason {
  return (Object.values(INTERRUPTS) as string[]).includes(stopReason ?? '');
}
