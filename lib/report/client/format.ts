// Numbers and values in words, for the page's axes, tooltips and details panel.

/** A duration or time in ms, with as many digits as its size needs (below 1 ms, to the microsecond). */
export function fmtMs(ms: number): string {
  const m = Math.abs(ms);
  if (m >= 10000) return (ms / 1000).toFixed(1) + ' s';
  if (m >= 1000) return (ms / 1000).toFixed(2) + ' s';
  if (m >= 100) return ms.toFixed(0) + ' ms';
  if (m >= 10) return ms.toFixed(1) + ' ms';
  if (m >= 1) return ms.toFixed(2) + ' ms';
  return ms.toFixed(3) + ' ms';
}

/** A tick label precise enough that neighbouring ticks never read the same. */
export function fmtTick(t: number, step: number): string {
  if (step >= 1000 || Math.abs(t) >= 1000)
    return (t / 1000).toFixed(Math.min(6, Math.max(0, Math.ceil(-Math.log10(step / 1000) - 1e-9)))) + ' s';
  return t.toFixed(Math.min(4, Math.max(0, Math.ceil(-Math.log10(step) - 1e-9)))) + ' ms';
}

/** The round step (1, 2 or 5 times a power of ten) nearest above `raw`. */
export function niceStep(raw: number): number {
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  const m = raw / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

/** An op's value or result (JSON text) indented for reading. */
export function pretty(text: string): string {
  if (!text) return '';
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    // Not JSON: a value cut short for the page ("… (N chars)") is shown as it was embedded.
    return text;
  }
}
