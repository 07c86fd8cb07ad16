// Async-integration test helpers: a real gateway (build()) whose billing route is async, the
// embedded SQLite queue in a test dir, a real legacy shield (Protection) in front of a real
// legacy stub, and the worker running; plus billing bodies and polling helpers.
import type { Test } from 'tap'
import { Pool } from 'undici'
import { openAsyncIntegration } from '../../gateway/src/async/async-setup.js'
import type { AsyncIntegration } from '../../gateway/src/async/async-setup.js'
import type { AsyncSectionInput, RouteAsyncConfig } from '../../gateway/src/async/async.schema.js'
import { parseAdminTokens } from '../../gateway/src/ops/admin-auth.js'
import { Protection } from '../../gateway/src/protection/protection.js'
import type { LegacyProtectionInput } from '../../gateway/src/protection/protection.js'
import { startTestGateway, testConfig } from './gateway.js'
import { billingRoute } from './async-route.js'

export { billingRoute }
import type { TestGateway } from './gateway.js'

export const ASYNC_ADMIN_TOKEN = 'async-admin-token-0123456789'

/** A valid legacy billing; `i` makes the Description (and so the fingerprint) unique. */
export function billingBody (i: number, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ ProjectId: 1, Amount: 10.5, Currency: 'EUR', Description: `async-${i}`, BilledOn: '2026-11-27', ...extra })
}

export interface AsyncGateway extends TestGateway {
  jobs: AsyncIntegration
  protection: Protection
}

export interface AsyncGatewayOptions {
  legacyUrl: string
  dataDir: string
  settings?: AsyncSectionInput
  route?: Partial<RouteAsyncConfig>
  /** Legacy shield settings; `breaker` fields merge over the test breaker (volume 5, reset 300 ms). */
  legacy?: Omit<LegacyProtectionInput, 'breaker'> & { breaker?: Partial<NonNullable<LegacyProtectionInput['breaker']>> }
  startWorker?: boolean
}

/**
 * app.ts's wiring with a hand-built integration (custom shield, grace, data dir) on a test gateway
 * listening on port 0. The product path (startGateway from a config file) is async-wired-*.test.ts.
 */
export async function startAsyncGateway (t: Test, o: AsyncGatewayOptions): Promise<AsyncGateway> {
  const config = testConfig({ legacy: { url: o.legacyUrl, timeoutMs: 2000 }, routes: [billingRoute(o.route)] })
  const protection = new Protection({
    maxConcurrency: 4,
    queue: { maxSize: 64, maxWaitMs: 1000 },
    rateLimit: { perSecond: 100_000, burst: 100_000 },
    ...o.legacy,
    breaker: { volumeThreshold: 5, errorThresholdPercentage: 50, resetTimeoutMs: 300, rollingCountTimeoutMs: 2000, rollingCountBuckets: 10, ...o.legacy?.breaker }
  })
  const pool = new Pool(new URL(o.legacyUrl).origin, { connections: 8 })
  const { tokens } = parseAdminTokens({ GATEWAY_ADMIN_TOKEN: ASYNC_ADMIN_TOKEN })
  const jobs = openAsyncIntegration({
    settings: { dataDir: o.dataDir, workerConcurrency: 4, pollMs: 50, ...o.settings },
    legacy: { url: o.legacyUrl, timeoutMs: 2000 },
    dispatcher: pool,
    shield: protection.legacy,
    tokens,
    stopGraceMs: 1000
  })
  const gw = await startTestGateway(t, config, {
    // build() registers the integration's public plugin before these and its admin plugin.
    asyncJobs: jobs,
    protection,
    adminTokens: tokens
  })
  // Teardowns run in reverse: stop the worker before the gateway and the stub go away.
  t.teardown(async () => { await pool.close() })
  t.teardown(async () => { await jobs.stop() })
  if (o.startWorker !== false) jobs.start()
  return { ...gw, jobs, protection }
}

export async function postBilling (url: string, i: number, headers: Record<string, string> = {}): Promise<{ status: number, headers: Headers, json: any }> {
  const res = await fetch(`${url}/api/billings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: billingBody(i)
  })
  const text = await res.text()
  return { status: res.status, headers: res.headers, json: text === '' ? undefined : JSON.parse(text) }
}

/** Polls `condition` every `everyMs` until it holds or `timeoutMs` passes (then throws). */
export async function waitFor (what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 15_000, everyMs = 25): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, everyMs))
  }
}

/** The stub's billings (GET /api/Billings). */
export async function legacyBillings (legacyUrl: string): Promise<Array<{ Id: number, Description: string, IdempotencyKey: string | null }>> {
  const res = await fetch(`${legacyUrl}/api/Billings`)
  return await res.json() as Array<{ Id: number, Description: string, IdempotencyKey: string | null }>
}
