// A real world for the guard's integration tests: the legacy stub, the local Lambda runtime with
// the switchable GuardUsers-TEST function (test/fixtures/guard-lambdas), and the gateway as the
// product runs it (startGateway from a config file: file route state, audit, admin API), with
// one route `users.get` on /api/users/:id. `fault()` switches the Lambda's fault at runtime.
import { writeFileSync } from 'node:fs'
import { Writable } from 'node:stream'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Test } from 'tap'
import { startTestLegacyStub } from './legacy-stub.js'
import { startTestLambdaRuntime } from './lambda-runtime.js'
import { createLogger } from '../../gateway/src/logging.js'
import { admin, scratchDir, startWiredGateway, wiredConfig } from './wired-gateway.js'
import type { WiredGateway } from './wired-gateway.js'

export const GUARD_TEMPLATE = fileURLToPath(new URL('../fixtures/guard-lambdas/template.yaml', import.meta.url))

export interface GuardWorldOptions {
  target?: 'legacy' | 'lambda'
  rollout?: Record<string, unknown>
  guard?: Record<string, unknown>
  legacyLatencyMs?: number
  /** Extra route settings (e.g. fallback). */
  route?: Record<string, unknown>
  /** Extra top-level config (e.g. distributed) and environment (e.g. REDIS_URL). */
  extra?: Record<string, unknown>
  env?: Record<string, string>
}

export interface GuardWorld {
  gw: WiredGateway
  /** '' healthy, 'error' throws, 'slow:<ms>' answers late. */
  fault: (mode: string) => void
  routeDoc: (o: GuardWorldOptions) => Record<string, unknown>
  legacyUrl: string
  lambdaUrl: string
  /** The gateway's log lines at warn and above, parsed. */
  logs: Array<Record<string, unknown>>
  /** The config document the gateway started from (start a second replica with it). */
  doc: Record<string, unknown>
}

export async function startGuardWorld (t: Test, o: GuardWorldOptions = {}): Promise<GuardWorld> {
  const dir = scratchDir(t, 'gw-guard-')
  const faultFile = join(dir, 'fault')
  writeFileSync(faultFile, '')
  const legacy = await startTestLegacyStub(t, { latencyMs: o.legacyLatencyMs ?? 10, maxConcurrency: 64 })
  const runtime = await startTestLambdaRuntime(t, { templatePath: GUARD_TEMPLATE, envOverrides: { 'GuardUsers-TEST': { GUARD_FAULT_FILE: faultFile } } })
  const routeDoc = (r: GuardWorldOptions): Record<string, unknown> => ({
    id: 'users.get',
    methods: ['GET'],
    path: '/api/users/:id',
    target: r.target ?? 'lambda',
    lambda: { function: 'GuardUsers-TEST', timeoutMs: 3000, maxConcurrency: 64 },
    rollout: { percent: 50, ...r.rollout },
    ...(r.guard === undefined ? {} : { guard: r.guard }),
    ...r.route
  })
  const doc = wiredConfig({ legacyUrl: legacy.url, lambdaEndpoint: runtime.url, legacy: { maxConcurrency: 64 }, routes: [routeDoc(o)], ...(o.extra === undefined ? {} : { extra: o.extra }) })
  const logs: Array<Record<string, unknown>> = []
  const stream = new Writable({ write (chunk: Buffer, _enc, done) { logs.push(JSON.parse(chunk.toString('utf8'))); done() } })
  const gw = await startWiredGateway(t, { doc, dir, ...(o.env === undefined ? {} : { env: o.env }), start: { logger: createLogger({ level: 'warn', stream }) } })
  return { gw, fault: (mode) => { writeFileSync(faultFile, mode) }, routeDoc, legacyUrl: legacy.url, lambdaUrl: runtime.url, logs, doc }
}

export interface Answer { status: number, target: string }

/** One GET through the gateway; the answer's status and the x-gateway-target that served it. */
export async function getUser (gw: { url: string }, id = 1): Promise<Answer> {
  const res = await fetch(`${gw.url}/api/users/${id}`)
  await res.arrayBuffer()
  return { status: res.status, target: res.headers.get('x-gateway-target') ?? '' }
}

/** Sends requests with `concurrency` clients until `until()` is true (checked after each answer) or `max` were sent. */
export async function drive (gw: { url: string }, o: { concurrency: number, max: number, until?: () => boolean, onAnswer?: (a: Answer) => void }): Promise<Answer[]> {
  const answers: Answer[] = []
  let sent = 0
  const client = async (): Promise<void> => {
    while (sent < o.max && !(o.until?.() ?? false)) {
      sent++
      const a = await getUser(gw, 1 + (sent % 3))
      answers.push(a)
      o.onAnswer?.(a)
    }
  }
  await Promise.all(Array.from({ length: o.concurrency }, client))
  return answers
}

export async function routeState (gw: { adminUrl: string }): Promise<{ target: string, rolloutPercent: number, [k: string]: unknown }> {
  const { json } = await admin(gw, '/admin/routes/users.get')
  return json.route
}

export interface AuditEntryLike { who: string, action: string, routeId: string | null, before: any, after: any, reason: string | null }

/** The audit entries, oldest first. */
export async function auditEntries (gw: { adminUrl: string }): Promise<AuditEntryLike[]> {
  const { json } = await admin(gw, '/admin/audit?limit=100')
  return (json.entries as AuditEntryLike[]).reverse()
}

/**
 * All audit entries (oldest first) once at least `n` are by the guard. The route state in a
 * process changes as soon as the state is saved, a moment before the audit append: wait for it.
 */
export async function afterGuardEntries (gw: { adminUrl: string }, n: number, ms = 3000): Promise<AuditEntryLike[]> {
  const deadline = Date.now() + ms
  for (;;) {
    const entries = await auditEntries(gw)
    if (entries.filter(e => e.who === 'guard').length >= n || Date.now() > deadline) return entries
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}

export async function metricsText (gw: { adminUrl: string }): Promise<string> {
  return await (await fetch(`${gw.adminUrl}/metrics`)).text()
}
