// A real world for the shadow integration tests: the legacy stub (or a given legacy URL), the local
// Lambda runtime with ShadowUsers-TEST (test/fixtures/shadow-lambdas: camelCase users, behaviour
// switchable at runtime, every call logged), and the gateway as the product runs it (startGateway
// from a config file: protection hooks, file route state, admin API).
import { readFileSync, writeFileSync } from 'node:fs'
import { Writable } from 'node:stream'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Test } from 'tap'
import { startTestLegacyStub } from './legacy-stub.js'
import type { TestLegacyStub } from './legacy-stub.js'
import { startTestLambdaRuntime } from './lambda-runtime.js'
import { createLogger } from '../../gateway/src/logging.js'
import { admin, scratchDir, startWiredGateway, wiredConfig } from './wired-gateway.js'
import type { WiredGateway } from './wired-gateway.js'

export const SHADOW_TEMPLATE = fileURLToPath(new URL('../fixtures/shadow-lambdas/template.yaml', import.meta.url))
export const SHADOW_FUNCTION = 'ShadowUsers-TEST'

export interface ShadowWorldOptions {
  /** Routes (the Lambda section defaults to ShadowUsers-TEST when `lambda: true`). */
  routes: Array<Record<string, unknown>>
  legacy?: Record<string, unknown>
  /** Legacy stub options; ignored with `legacyUrl`. */
  stub?: { latencyMs?: number, maxConcurrency?: number, queueLimit?: number }
  /** Use this legacy server instead of the stub. */
  legacyUrl?: string
  /** The Lambda fixture's initial mode. */
  mode?: Record<string, unknown>
}

export interface LambdaCall { method: string, path: string, headers: Record<string, string>, body?: string, at: number }

export interface ShadowWorld {
  gw: WiredGateway
  stub: TestLegacyStub | undefined
  /** Switches the Lambda fixture's behaviour (read on every call). */
  mode: (m: Record<string, unknown>) => void
  /** Every call the Lambda fixture got, oldest first. */
  lambdaCalls: () => LambdaCall[]
  /** The gateway's log lines at warn and above, parsed. */
  logs: Array<Record<string, unknown>>
}

export const lambdaSection = { function: SHADOW_FUNCTION, timeoutMs: 4000, maxConcurrency: 64 }

/**
 * users.get in a 50% rollout to ShadowUsers-TEST with shadow on and a guard that only the shadow
 * mismatch rate can trip (errors and latency thresholds are out of reach).
 */
export function mismatchGuardedRoute (): Record<string, unknown> {
  return {
    id: 'users.get',
    methods: ['GET'],
    path: '/api/users/:id',
    target: 'lambda',
    lambda: lambdaSection,
    rollout: { percent: 50 },
    guard: { enabled: true, window: 20, minSamples: 10, maxErrorRateDelta: 1, maxP95Ratio: 1000, maxMismatchRate: 0.2 },
    shadow: { enabled: true, maxConcurrent: 64, compare: { caseInsensitiveKeys: true } }
  }
}

export async function startShadowWorld (t: Test, o: ShadowWorldOptions): Promise<ShadowWorld> {
  const dir = scratchDir(t, 'gw-shadow-')
  const modeFile = join(dir, 'mode.json')
  const logFile = join(dir, 'lambda-calls.jsonl')
  writeFileSync(modeFile, JSON.stringify(o.mode ?? {}))
  writeFileSync(logFile, '')
  const stub = o.legacyUrl === undefined ? await startTestLegacyStub(t, { latencyMs: 5, maxConcurrency: 64, ...o.stub }) : undefined
  const runtime = await startTestLambdaRuntime(t, { templatePath: SHADOW_TEMPLATE, envOverrides: { [SHADOW_FUNCTION]: { SHADOW_MODE_FILE: modeFile, SHADOW_LOG_FILE: logFile } } })
  const doc = wiredConfig({ legacyUrl: o.legacyUrl ?? stub?.url ?? '', lambdaEndpoint: runtime.url, legacy: { maxConcurrency: 64, ...o.legacy }, routes: o.routes })
  const logs: Array<Record<string, unknown>> = []
  const stream = new Writable({ write (chunk: Buffer, _enc, done) { logs.push(JSON.parse(chunk.toString('utf8'))); done() } })
  const gw = await startWiredGateway(t, { doc, dir, start: { logger: createLogger({ level: 'warn', stream }) } })
  return {
    gw,
    logs,
    stub,
    mode: (m) => { writeFileSync(modeFile, JSON.stringify(m)) },
    lambdaCalls: () => readFileSync(logFile, 'utf8').split('\n').filter(Boolean).map(l => JSON.parse(l) as LambdaCall)
  }
}

export interface DiffsAnswer {
  routeId: string
  shadow: { enabled: boolean }
  counts: { match: number, mismatch: number, error: number, shed: number }
  noise: string[]
  mismatches: Array<{ method: string, url: string, primary: string, legacy: { status: number, body: string }, lambda: { status: number, body: string }, diffs: Array<{ path: string, legacy?: unknown, lambda?: unknown, absent?: string }> }>
}

export async function diffs (gw: { adminUrl: string }, routeId: string): Promise<DiffsAnswer> {
  const { status, json } = await admin(gw, `/admin/routes/${routeId}/diffs`)
  if (status !== 200) throw new Error(`diffs ${routeId}: ${status} ${JSON.stringify(json)}`)
  return json as DiffsAnswer
}

/** Shadow comparisons done (or shed) so far for a route. */
export async function settled (gw: { adminUrl: string }, routeId: string): Promise<number> {
  const c = (await diffs(gw, routeId)).counts
  return c.match + c.mismatch + c.error + c.shed
}

export async function metricLines (gw: { adminUrl: string }, name: string): Promise<string[]> {
  const text = await (await fetch(`${gw.adminUrl}/metrics`)).text()
  return text.split('\n').filter(l => l.startsWith(name + '{'))
}
