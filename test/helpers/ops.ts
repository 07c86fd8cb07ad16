// Ops test helpers: an admin API (the admin-routes plugin) on a bare Fastify instance with
// in-memory or file-backed services, listening on port 0, closed by t.teardown.
import Fastify from 'fastify'
import type { FastifyInstance } from 'fastify'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { adminRoutesPlugin } from '../../gateway/src/ops/admin-routes.plugin.js'
import type { ReloadResult } from '../../gateway/src/ops/admin-routes.plugin.js'
import type { BreakerControl, BreakerInfo, RouteStats } from '../../gateway/src/ops/admin-routes-view.js'
import { parseAdminTokens } from '../../gateway/src/ops/admin-auth.js'
import { createMemoryAuditLog } from '../../gateway/src/ops/audit-log.js'
import type { AuditLog } from '../../gateway/src/ops/audit-log.js'
import { createMemoryStateStore } from '../../gateway/src/ops/route-state-store.js'
import type { StateStore } from '../../gateway/src/ops/route-state-store.js'
import { RouteStateService } from '../../gateway/src/ops/route-state-service.js'
import type { RouteDefinition } from '../../gateway/src/ops/route-state-service.js'

interface Teardown { teardown: (fn: () => unknown) => void }

export const ADMIN_TOKEN = 'test-admin-token-0123456789'
export const ALICE_TOKEN = 'alice-token-abcdefghijklmnop'

export const OPS_ROUTES: RouteDefinition[] = [
  { id: 'users.get', methods: ['GET'], path: '/api/users/:id', lambdaFunction: 'Users-dev', config: { target: 'lambda', rolloutPercent: 100, shadow: { enabled: false } } },
  { id: 'projects.list', methods: ['GET'], path: '/api/projects', lambdaFunction: 'Projects-dev', config: { target: 'legacy', rolloutPercent: 0, shadow: { enabled: false } } },
  { id: 'billings.post', methods: ['POST'], path: '/api/billings', config: { target: 'legacy', rolloutPercent: 100, shadow: { enabled: false } } }
]

/** A fake breaker registry: the real one is the protection area's; the admin API only needs this interface. */
export class FakeBreakers implements BreakerControl {
  readonly states = new Map<string, BreakerInfo['state']>([['legacy', 'closed'], ['lambda:Users-dev', 'closed'], ['lambda:Projects-dev', 'closed']])
  list (): BreakerInfo[] { return [...this.states].map(([id, state]) => ({ id, state })) }
  open (id: string): boolean { return this.set(id, 'open') }
  close (id: string): boolean { return this.set(id, 'closed') }
  private set (id: string, state: BreakerInfo['state']): boolean {
    if (!this.states.has(id)) return false
    this.states.set(id, state)
    return true
  }
}

export const FIXED_STATS: RouteStats = {
  legacy: { requests: 120, errorRate: 0.025, p95Ms: 48.2 },
  lambda: { requests: 30, errorRate: 0, p95Ms: 12.5 }
}

export interface AdminHarness {
  app: FastifyInstance
  url: string
  routeState: RouteStateService
  audit: AuditLog
  breakers: FakeBreakers
  /** The control given to the plugin (the FakeBreakers unless options.breakers was set). */
  control: BreakerControl | null
  clock: { now: number }
  reloadResult: { value: ReloadResult }
}

export interface AdminHarnessOptions {
  /** Breaker control; default a FakeBreakers; null = the plugin serves no breaker routes. */
  breakers?: BreakerControl | null
  store?: StateStore
  audit?: AuditLog
  routes?: RouteDefinition[]
  /** Start time of the fake clock (epoch ms). */
  now?: number
}

/** Builds and starts the admin API with fake services; `url` is http://127.0.0.1:<port>. */
export async function startAdmin (t: Teardown, options: AdminHarnessOptions = {}): Promise<AdminHarness> {
  const clock = { now: options.now ?? Date.parse('2026-01-01T00:00:00Z') }
  const audit = options.audit ?? createMemoryAuditLog({ now: () => clock.now })
  const routeState = new RouteStateService({
    store: options.store ?? createMemoryStateStore(),
    audit,
    routes: options.routes ?? OPS_ROUTES,
    now: () => clock.now
  })
  await routeState.init()
  const breakers = new FakeBreakers()
  const control = options.breakers === undefined ? breakers : options.breakers
  const reloadResult: { value: ReloadResult } = { value: { ok: true } }
  const { tokens } = parseAdminTokens({ GATEWAY_ADMIN_TOKEN: ADMIN_TOKEN, GATEWAY_ADMIN_TOKENS: `alice:${ALICE_TOKEN}` })
  const app = Fastify({ logger: false })
  await app.register(adminRoutesPlugin, {
    routeState,
    audit,
    tokens,
    ...(control === null ? {} : { breakers: control }),
    reload: async () => reloadResult.value,
    stats: () => ({ 'users.get': FIXED_STATS }),
    now: () => clock.now
  })
  app.get('/healthz', async () => ({ ok: true }))
  await app.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(() => app.close())
  const address = app.server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  return { app, url: `http://127.0.0.1:${port}`, routeState, audit, breakers, control, clock, reloadResult }
}

/** A fresh temp directory removed at teardown. */
export function tempDir (t: Teardown, prefix = 'gw-ops-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  t.teardown(() => { rmSync(dir, { recursive: true, force: true }) })
  return dir
}

/** fetch against the admin API with a bearer token (undefined = no Authorization header). */
export async function adminFetch (url: string, path: string, init: { method?: string, token?: string | undefined, body?: unknown } = {}): Promise<{ status: number, headers: Headers, json: any }> {
  const headers: Record<string, string> = {}
  if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`
  if (init.body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(url + path, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) })
  const text = await res.text()
  return { status: res.status, headers: res.headers, json: text === '' ? null : JSON.parse(text) }
}
