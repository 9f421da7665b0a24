// Find a Chromium or Chrome for the browser tests. Installing one is the setup's job, never the tests':
// .ci/run apt-installs Debian's chromium, and GitHub's runners ship Google Chrome. With none found the
// browser tests are skipped with one line saying how to get one, except where CI promised one (CI=true on
// Linux): there a missing browser fails the test file, so a broken setup cannot pass by skipping.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import which from 'which';

/** Debian's chromium: what .ci/run installs. */
export const CHROMIUM = '/usr/bin/chromium';

/** A browser of the user's choosing, for machines where it lives elsewhere. */
export const BROWSER_ENV = 'STAMPEDE_BROWSER';

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

export type BrowserLookup = { path: string; reason: null } | { path: null; reason: string };

/** On PATH: Debian's and Ubuntu's names for Chromium, and Google Chrome's (GitHub's Linux runners ship it). */
const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

/** Where the installers put Chrome and Chromium (GitHub's macOS and Windows runners ship Chrome there). */
function installedPaths(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string[] {
  if (platform === 'darwin')
    return [
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
    ];
  if (platform === 'win32')
    return [env['ProgramFiles'], env['ProgramFiles(x86)'], env['LOCALAPPDATA']]
      .filter((root): root is string => Boolean(root))
      .map((root) => join(root, 'Google', 'Chrome', 'Application', 'chrome.exe'));
  return [CHROMIUM];
}

const HOW_TO_INSTALL = `install one (Debian: sudo apt-get install -y chromium; elsewhere Chromium or Google Chrome), or set ${BROWSER_ENV} to a Chromium or Chrome executable`;

export async function findChromium(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): Promise<BrowserLookup> {
  const chosen = env[BROWSER_ENV];
  if (chosen) {
    return existsSync(chosen)
      ? { path: chosen, reason: null }
      : { path: null, reason: `${BROWSER_ENV}=${chosen} does not exist; ${HOW_TO_INSTALL}` };
  }
  const paths = installedPaths(platform, env);
  for (const path of paths) if (existsSync(path)) return { path, reason: null };
  for (const name of NAMES) {
    const found = await which(name, { nothrow: true });
    if (found) return { path: found, reason: null };
  }
  return {
    path: null,
    reason: `no Chromium or Chrome found (looked at ${[...paths, ...NAMES.map((n) => `${n} on PATH`)].join(', ')}); ${HOW_TO_INSTALL}`,
  };
}

/** CI on Linux installs a browser before the tests (.ci/run; GitHub's runner ships Chrome): one must be there. */
export function browserPromised(env: NodeJS.ProcessEnv = process.env, platform = process.platform): boolean {
  return env.CI === 'true' && platform === 'linux';
}

/**
 * The browser for a test file's browser tests, or null after one visible line saying why they are skipped
 * and how to get a browser. Where one was promised (see browserPromised), its absence throws: the file fails.
 */
export async function browserForTests(file: string): Promise<string | null> {
  const found = await findChromium();
  if (found.path !== null) return found.path;
  if (browserPromised())
    throw new Error(
      `${file}: ${found.reason}. CI on Linux must install a browser before the tests (.ci/run does: apt-get install chromium), so this fails rather than skipping`,
    );
  console.warn(`${file}: browser tests skipped: ${found.reason}`);
  return null;
}

/** A fresh, empty profile per launch, as the flags above assume. */
export function freshUserDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'stampede-chromium-'));
}

/** A headless browser on a fresh profile with one page, and every error that page reports. */
export interface BrowserTab {
  context: BrowserContext;
  page: Page;
  /** Uncaught errors and console errors of the page, in order. */
  pageErrors: string[];
}

export async function openBrowserTab(executablePath: string): Promise<BrowserTab> {
  const context = await chromium.launchPersistentContext(freshUserDataDir(), {
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 1000 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  return { context, page, pageErrors };
}
