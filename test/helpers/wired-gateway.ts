// The gateway as the product runs it: startGateway() from a config FILE (schema, protection and
// ops fragments validated), with the protection hooks, the file route state, the audited admin
// API and the config watch all wired by the shell. Ports 0, a temp state dir, stop at teardown.
import { renameSync, writeFileSync } from 'node:fs'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { startGateway } from '../../gateway/src/server.js'
import type { RunningGateway, StartOptions } from '../../gateway/src/server.js'
import { createLogger } from '../../gateway/src/logging.js'

interface Tap { teardown: (fn: () => unknown) => void }

export const WIRED_ADMIN_TOKEN = 'wired-admin-token-0123456789'
export const OVERRIDE_SECRET = 'tester-secret-0123456789abcdef'

/** A config document (plain object) with the shipped shape; callers patch what they test. */
export function wiredConfig (o: { legacyUrl: string, lambdaEndpoint?: string, legacy?: Record<string, unknown>, routes?: unknown[], extra?: Record<string, unknown> }): Record<string, unknown> {
  const lambda = (fn: string, cap: number): Record<string, unknown> => ({ function: fn, timeoutMs: 3000, maxConcurrency: cap })
  return {
    stage: 'dev',
    server: { host: '127.0.0.1', port: 0, shutdownGraceMs: 3000 },
    admin: { host: '127.0.0.1', port: 0 },
    legacy: {
      url: o.legacyUrl,
      timeoutMs: 5000,
      maxConcurrency: 8,
      queue: { maxSize: 64, maxWaitMs: 250 },
      rateLimit: { perSecond: 100_000, burst: 100_000 },
      ...o.legacy
    },
    lambda: { endpoint: o.lambdaEndpoint ?? '', region: 'eu-central-1' },
    routes: o.routes ?? [
      { id: 'users.get', methods: ['GET'], path: '/api/users/:id', target: 'lambda', lambda: lambda('Users-DEV', 50), rollout: { percent: 100, stickyBy: 'header:x-user-id' }, fallback: 'legacy' },
      { id: 'budgets.get', methods: ['GET'], path: '/api/budgets/:projectId', target: 'legacy', lambda: lambda('Budget-DEV', 50), rollout: { percent: 100, stickyBy: 'header:x-user-id' } },
      { id: 'billings.create', methods: ['POST'], path: '/api/billings', target: 'legacy' }
    ],
    ...o.extra
  }
}

/** A temp directory removed at teardown. */
export function scratchDir (t: Tap, prefix = 'gw-wired-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  t.teardown(() => { rmSync(dir, { recursive: true, force: true }) })
  return dir
}

/** Writes the config the way editors save: a temp file renamed over the original. */
export function writeConfigFile (path: string, doc: Record<string, unknown> | string): void {
  const tmp = `${path}.tmp-${process.pid}`
  writeFileSync(tmp, typeof doc === 'string' ? doc : stringify(doc))
  renameSync(tmp, path)
}

export interface WiredGateway extends RunningGateway {
  configPath: string
  dir: string
}

export interface WiredOptions {
  doc: Record<string, unknown>
  /** Directory for gateway.yaml and (default) the state; default a fresh scratch dir. */
  dir?: string
  stateDir?: string
  env?: Record<string, string>
  start?: Partial<StartOptions>
}

/** Writes `doc` to <dir>/gateway.yaml and starts the gateway from it; stopped at teardown. */
export async function startWiredGateway (t: Tap, opts: WiredOptions): Promise<WiredGateway> {
  const dir = opts.dir ?? scratchDir(t)
  const configPath = join(dir, 'gateway.yaml')
  writeConfigFile(configPath, opts.doc)
  const gw = await startGateway({
    configPath,
    stage: 'dev',
    env: { GATEWAY_ADMIN_TOKEN: WIRED_ADMIN_TOKEN, ...opts.env },
    stateDir: opts.stateDir ?? join(dir, 'var'),
    logger: createLogger({ level: 'silent' }),
    deps: { processMetrics: false },
    watchDebounceMs: 50,
    ...opts.start
  })
  t.teardown(() => gw.stop())
  return { ...gw, configPath, dir }
}

/** fetch against the admin API with the wired token. */
export async function admin (gw: { adminUrl: string }, path: string, init: { method?: string, body?: unknown } = {}): Promise<{ status: number, json: any }> {
  const res = await fetch(gw.adminUrl + path, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { authorization: `Bearer ${WIRED_ADMIN_TOKEN}`, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body)
  })
  const text = await res.text()
  return { status: res.status, json: text === '' ? null : JSON.parse(text) }
}

/** Polls `condition` every 20 ms until true or `ms` elapsed (then throws with `what`). */
export async function eventually (what: string, condition: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`)
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}
