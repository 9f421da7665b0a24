// Find Debian's chromium for the browser tests, installing it where the machine allows (root and
// apt-get). Where it cannot be had, say why, so the browser tests are skipped with a clear message
// rather than failing on something that is not the project's fault.
import { existsSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import which from 'which';

export const CHROMIUM = '/usr/bin/chromium';

/** Flags that keep headless chromium off the (closed) network and quiet at start. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export type ChromiumLookup = { path: string; reason: null } | { path: null; reason: string };

export async function ensureChromium(): Promise<ChromiumLookup> {
  if (existsSync(CHROMIUM)) return { path: CHROMIUM, reason: null };
  const apt = await which('apt-get', { nothrow: true });
  if (!apt) return { path: null, reason: `${CHROMIUM} is missing and there is no apt-get to install it` };
  if (process.getuid?.() !== 0) return { path: null, reason: `${CHROMIUM} is missing and installing it needs root (try: sudo apt-get install -y chromium)` };
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = await execa(apt, ['update'], { env, reject: false, timeout: 300_000 });
  if (update.exitCode !== 0) return { path: null, reason: `apt-get update failed (exit ${update.exitCode}): ${String(update.stderr).slice(-300)}` };
  const install = await execa(apt, ['install', '-y', 'chromium'], { env, reject: false, timeout: 900_000 });
  if (install.exitCode !== 0 || !existsSync(CHROMIUM)) return { path: null, reason: `apt-get install chromium failed (exit ${install.exitCode}): ${String(install.stderr).slice(-300)}` };
  return { path: CHROMIUM, reason: null };
}

/** A fresh, empty profile per launch, as the flags above assume. */
export function freshUserDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'stampede-chromium-'));
}
