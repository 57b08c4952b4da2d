/**
 * Headless Chromium for the browser tests, through playwright-core and the system's chromium
 * (Debian's, at /usr/bin/chromium; `.ci/run` installs it). Each launch gets a fresh profile and
 * talks to nothing but the pages it is given.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type BrowserContext } from 'playwright-core'

export const CHROMIUM = process.env['WEFT_CHROMIUM'] ?? '/usr/bin/chromium'

/** Where the tests save their screenshots (gitignored). */
export const ARTIFACTS = fileURLToPath(new URL('../../../test-artifacts/', import.meta.url))

export interface Session {
  readonly context: BrowserContext
  close(): Promise<void>
}

/** A persistent context on a fresh profile directory, removed on close. */
export async function launchBrowser(): Promise<Session> {
  mkdirSync(ARTIFACTS, { recursive: true })
  const profile = mkdtempSync(join(tmpdir(), 'weft-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 1000 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  // A step that waits longer than this has failed: the pages are local and small.
  context.setDefaultTimeout(10_000)
  return {
    context,
    close: async () => {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    },
  }
}

export type { Browser }
