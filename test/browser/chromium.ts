import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { leftover } from '../utils/leftovers.js';
import { servicesRequired } from '../utils/services.js';

/** Debian's chromium (`apt-get install -y chromium`); playwright-core never downloads a browser here. */
export const CHROMIUM = process.env['HOOKGRAPH_TEST_CHROMIUM'] || '/usr/bin/chromium';

/** Where browser tests save screenshots (not committed: look at them after a run). */
export const SCREENSHOTS = join(import.meta.dirname, '..', '..', 'test-results', 'screenshots');

/**
 * Whether the browser tests can run. Without Chromium they skip with a message; with HOOKGRAPH_REQUIRE_SERVICES=1
 * (CI, which installs it from Debian) a missing Chromium is an error instead.
 */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  const message = `Chromium not found at ${CHROMIUM} (apt-get install -y chromium, or set HOOKGRAPH_TEST_CHROMIUM)`;
  if (servicesRequired()) throw new Error(`${message}, and HOOKGRAPH_REQUIRE_SERVICES=1 forbids skipping`);
  process.stderr.write(`\n[hookgraph tests] SKIPPING browser tests: ${message}.\n`);
  return false;
}

/** A headless Chromium on the leftovers list, with no network beyond what the page asks of loopback. */
export async function launchChromium(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  return leftover(browser);
}
