import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { projectRoot } from '../paths.js';

// Tests, unlike the appliance, may read the environment directly: these are test-runner switches.
const env = process.env;

/** Debian's Chromium, as .ci/run installs it; CHROMIUM_BIN overrides. */
export const chromiumPath = env.CHROMIUM_BIN ?? '/usr/bin/chromium';
export const hasChromium = existsSync(chromiumPath);
/** In CI a missing browser is a failure, not a skip: .ci/run must have installed it. */
export const mustHaveBrowser = env.CI === 'true';

/** Flags for a root, offline, headless machine: without the networking ones Chromium tries to reach Google. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
    ],
  });
}

/** Screenshots go here so a person can look at what the tests saw. */
export function screenshotPath(name: string): string {
  const dir = join(projectRoot, 'test-results', 'screenshots');
  mkdirSync(dir, { recursive: true });
  return join(dir, `${name}.png`);
}
