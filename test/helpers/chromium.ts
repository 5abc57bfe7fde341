/**
 * The Chromium the e2e suites drive through playwright-core: where it is, how
 * it is launched, and why the suites skip when it is not there.
 *
 * ```ts
 * describe('in Chromium', { skip: CHROMIUM_SKIP }, () => {
 *   before(async () => { browser = await launchChromium(); });
 * });
 * ```
 */
import { type Browser, chromium } from 'playwright-core';

/** `CHROMIUM_PATH`, or the distribution's `/usr/bin/chromium`. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Headless, no sandbox (containers), and nothing that phones home or updates itself mid-test. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A `skip` reason when scripts/test.ts found no Chromium (GATEHOUSE_TEST_CHROMIUM=0), else false. */
export const CHROMIUM_SKIP: string | false =
  process.env.GATEHOUSE_TEST_CHROMIUM === '0'
    ? `Chromium not available at ${CHROMIUM_PATH} (GATEHOUSE_TEST_CHROMIUM=0)`
    : false;

/** Launches {@link CHROMIUM_PATH} with {@link CHROMIUM_ARGS}, giving up after 20 s. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS], timeout: 20_000 });
}
