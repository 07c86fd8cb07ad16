// The browser tests' world: the real stack (startStack: stub, local Lambda runtime, gateway with
// the shipped config) on ports 0 in a temp state dir WITHOUT an admin token, so npm start's
// generated token is what the operator logs in with; Debian's chromium driven by playwright-core
// with a fresh profile per run. On failure the browser console and the gateway log are printed.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { chromium } from 'playwright-core'
import type { BrowserContext, Page } from 'playwright-core'
import type { Test } from 'tap'
import { startStack, stackBanner } from '../../scripts/start-stack.js'
import type { RunningStack } from '../../scripts/start-stack.js'
import { createLogger } from '../../gateway/src/logging.js'
import { ephemeralStackEnv } from '../helpers/stack-env.js'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run']

export interface World {
  stack: RunningStack
  token: string
  banner: string
  adminUrl: string
  gatewayUrl: string
  browser: BrowserContext
  page: Page
  /** Console lines and page errors of every page in the context. */
  consoleLines: string[]
  /** Set by any page's `dialog` event (an alert from injected markup would fire one). */
  dialogs: string[]
  /** Opens a fresh page (same session cookie) and logs its console too. */
  newPage: () => Promise<Page>
}

export async function startWorld (t: Test): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'gw-browser-'))
  const logs: string[] = []
  const stream = new Writable({ write (chunk: Buffer, _e, done) { logs.push(chunk.toString()); if (logs.length > 5000) logs.shift(); done() } })
  const stack = await startStack(ephemeralStackEnv({ GATEWAY_STATE_DIR: join(dir, 'state') }), { gatewayLogger: createLogger({ level: 'info', stream }) })
  // A fresh profile per run (playwright passes it as --user-data-dir).
  const browser: BrowserContext = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: CHROMIUM,
    args: ARGS,
    viewport: { width: 1280, height: 800 },
    timeout: 30_000
  }).catch(async (err: unknown) => { await stack.stop(); throw err })
  browser.setDefaultTimeout(10_000)
  const consoleLines: string[] = []
  const dialogs: string[] = []
  const watch = (page: Page): Page => {
    page.on('console', m => consoleLines.push(`[${m.type()}] ${m.text()}`))
    page.on('pageerror', e => consoleLines.push(`[pageerror] ${e.message}`))
    page.on('dialog', d => { dialogs.push(d.message()); d.dismiss().catch(() => {}) })
    return page
  }
  t.teardown(async () => {
    if (!t.passing()) {
      console.error('--- browser console ---\n' + consoleLines.join('\n'))
      console.error('--- gateway log (last lines) ---\n' + logs.join('').split('\n').slice(-200).join('\n'))
    }
    await browser.close().catch(() => {})
    await stack.stop()
    rmSync(dir, { recursive: true, force: true })
  })
  const page = watch(browser.pages()[0] ?? await browser.newPage())
  return {
    stack,
    token: stack.localToken!.token,
    banner: stackBanner(stack),
    adminUrl: stack.gateway.adminUrl,
    gatewayUrl: stack.gateway.url,
    browser,
    page,
    consoleLines,
    dialogs,
    newPage: async () => watch(await browser.newPage())
  }
}

/** Opens the cockpit and logs in with `token`. */
export async function login (w: World, page: Page, token: string): Promise<void> {
  await page.goto(`${w.adminUrl}/ui/`)
  await page.getByLabel(/Admin token/).fill(token)
  await page.getByRole('button', { name: 'Log in' }).click()
}

/** Applies an action through the confirm dialog with a reason. */
export async function confirmWith (page: Page, reason: string): Promise<void> {
  const dialog = page.locator('#confirm')
  await dialog.getByLabel(/Reason/).fill(reason)
  await dialog.getByRole('button', { name: 'Apply' }).click()
}

/** Admin API call with the generated token (what gatewayctl would do). */
export async function adminApi (w: World, method: string, path: string, body?: unknown): Promise<{ status: number, json: any }> {
  const res = await fetch(w.adminUrl + path, {
    method,
    headers: { authorization: `Bearer ${w.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  return { status: res.status, json: await res.json() }
}
