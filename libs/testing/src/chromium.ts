import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Debian's Chromium: the one browser the suites drive (Playwright never downloads its own). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Flags for a headless Chromium on a machine without outside network: the background-networking
 * flags keep it from calling Google's hosts at every start.
 */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
];

/**
 * Installs Debian's `chromium` package when it is missing (CI starts on a clean machine; apt may
 * be busy with another suite's install, so it waits for the lock). Returns the executable.
 */
export function ensureChromium(): string {
  if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  const apt = (...args: string[]) => execFileSync('apt-get', ['-o', 'DPkg::Lock::Timeout=600', ...args], {
    stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, timeout: 900_000,
  });
  apt('update');
  apt('install', '-y', '--no-install-recommends', 'chromium');
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`apt-get installed chromium but ${CHROMIUM_PATH} is missing`);
  return CHROMIUM_PATH;
}

/** Launch options for playwright-core's chromium.launch(). */
export function chromiumLaunchOptions() {
  process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = '1';
  return { executablePath: ensureChromium(), args: CHROMIUM_ARGS, headless: true };
}
