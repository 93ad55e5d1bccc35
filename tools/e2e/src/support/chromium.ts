import { accessSync, constants } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/**
 * Debian's Chromium (`apt-get install chromium`), the browser of the
 * browser tests; LODE_CHROMIUM names another executable.
 */
export const CHROMIUM_PATH = process.env['LODE_CHROMIUM'] ?? '/usr/bin/chromium';

/**
 * Flags for a headless run in a container or CI: no sandbox (no user
 * namespaces there), no GPU, and nothing that calls out to the network
 * (QUIC, component updates, sync, background fetches).
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Launches headless Chromium with playwright-core (which downloads no
 * browser of its own).
 *
 * @throws Error naming the path and the package to install when the
 *   executable is missing: the browser tests never skip
 */
export async function launchChromium(): Promise<Browser> {
  try {
    accessSync(CHROMIUM_PATH, constants.X_OK);
  } catch {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}: the dashboard browser test needs it. ` +
        'Install it with `apt-get install -y chromium` (Debian), or set LODE_CHROMIUM to a Chromium executable.',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS], timeout: 60000 });
}
