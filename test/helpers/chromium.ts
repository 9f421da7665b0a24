// Find Debian's chromium (or a Chromium or Chrome already installed) for the browser tests, installing it
// where the machine allows (apt-get, as root or through password-less sudo). Where it cannot be had, say
// why, so the browser tests are skipped with a clear message rather than failing on something that is not
// the project's fault.
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

/** Browsers already installed under another name (GitHub's runners ship Chromium or Chrome), tried before installing. */
const OTHER_NAMES = ['chromium-browser', 'google-chrome', 'google-chrome-stable'];

export async function ensureChromium(): Promise<ChromiumLookup> {
  if (existsSync(CHROMIUM)) return { path: CHROMIUM, reason: null };
  for (const name of OTHER_NAMES) {
    const found = await which(name, { nothrow: true });
    if (found) return { path: found, reason: null };
  }
  const apt = await which('apt-get', { nothrow: true });
  if (!apt) return { path: null, reason: `${CHROMIUM} is missing and there is no apt-get to install it` };
  // As root, apt-get itself; otherwise through sudo when it needs no password (CI runners), never a prompt.
  const root = process.getuid?.() === 0;
  if (!root && (await execa('sudo', ['-n', 'true'], { reject: false })).exitCode !== 0) {
    return {
      path: null,
      reason: `${CHROMIUM} is missing and installing it needs root (try: sudo apt-get install -y chromium)`,
    };
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const aptGet = (args: string[]) =>
    root
      ? execa(apt, args, { env, reject: false, timeout: 900_000 })
      : execa('sudo', ['-n', '--preserve-env=DEBIAN_FRONTEND', apt, ...args], { env, reject: false, timeout: 900_000 });
  const update = await aptGet(['update']);
  if (update.exitCode !== 0)
    return {
      path: null,
      reason: `apt-get update failed (exit ${update.exitCode}): ${String(update.stderr).slice(-300)}`,
    };
  const install = await aptGet(['install', '-y', 'chromium']);
  if (install.exitCode !== 0 || !existsSync(CHROMIUM))
    return {
      path: null,
      reason: `apt-get install chromium failed (exit ${install.exitCode}): ${String(install.stderr).slice(-300)}`,
    };
  return { path: CHROMIUM, reason: null };
}

/** A fresh, empty profile per launch, as the flags above assume. */
export function freshUserDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'stampede-chromium-'));
}
