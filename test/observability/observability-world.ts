// The gateways a real Prometheus scrapes in prometheus.observability.ts, each started the way the
// product runs it (startGateway from a config file, process metrics on), on port 0:
//   main      legacy stub + the local Lambda runtime (ShadowUsers-TEST): a Lambda-only route, a
//             guarded 50 % rollout with shadow on whose answers always differ (so the guard rolls
//             it back), a legacy route behind a small cap (bursts are shed), an async route.
//   broken    legacy is a closed port: its async job with one attempt is dead-lettered, then its
//             legacy breaker is forced open (requests answered 503 breaker_open, a second job waits).
//   degraded  distributed mode with REDIS_URL on a closed port: gateway_distributed_degraded 1.
// Their warn+ log lines (but the per-request ones) are kept for a failing test.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import type { Test } from 'tap'
import { createLogger } from '../../gateway/src/logging.js'
import { startTestLambdaRuntime } from '../helpers/lambda-runtime.js'
import { startTestLegacyStub } from '../helpers/legacy-stub.js'
import type { TestLegacyStub } from '../helpers/legacy-stub.js'
import { closedPort } from '../helpers/ops-cli.js'
import { SHADOW_FUNCTION, SHADOW_TEMPLATE, lambdaSection, mismatchGuardedRoute } from '../helpers/shadow-world.js'
import { scratchDir, startWiredGateway, wiredConfig } from '../helpers/wired-gateway.js'
import type { WiredGateway } from '../helpers/wired-gateway.js'

export const LEGACY_CAP = 2

export interface ObservedWorld {
  stub: TestLegacyStub
  main: WiredGateway
  broken: WiredGateway
  degraded: WiredGateway
  /** Admin host:port of each gateway, as Prometheus labels it (`instance`). */
  instances: { main: string, broken: string, degraded: string }
  /** Switches the Lambda fixture's behaviour (read on every call; the mismatching patch stays). */
  lambdaMode: (extra: Record<string, unknown>) => void
  /** The gateways' log lines (warn and above), tagged with the gateway's name. */
  logs: string[]
}

const billingsRoute = (maxAttempts: number): Record<string, unknown> => ({
  id: 'billings.create',
  methods: ['POST'],
  path: '/api/billings',
  target: 'legacy',
  async: { enabled: true, maxAttempts, backoff: { baseMs: 20, maxMs: 200 }, deadLetterAfter: 600_000 }
})

const budgetsRoute = { id: 'budgets.get', methods: ['GET'], path: '/api/budgets/:projectId', target: 'legacy' }

export async function startObservedWorld (t: Test): Promise<ObservedWorld> {
  const logs: string[] = []
  const logger = (name: string): ReturnType<typeof createLogger> => createLogger({
    level: 'warn',
    // The per-request lines of the shed and broken traffic would bury everything else.
    stream: new Writable({
      write (chunk: Buffer, _enc, done) {
        const line = chunk.toString('utf8').trimEnd()
        if (!/"msg":"request( failed)?"/.test(line)) logs.push(`[${name}] ${line}`)
        done()
      }
    })
  })
  const start = { deps: { processMetrics: true } }

  const stub = await startTestLegacyStub(t, { latencyMs: 40, maxConcurrency: 64, queueLimit: 1000 })
  const dir = scratchDir(t, 'gw-observed-')
  const modeFile = join(dir, 'mode.json')
  const callLog = join(dir, 'lambda-calls.jsonl')
  // Every Lambda answer differs from legacy's (department), so every shadow comparison mismatches.
  const lambdaMode = (extra: Record<string, unknown>): void => { writeFileSync(modeFile, JSON.stringify({ patch: { department: 'Somewhere else' }, ...extra })) }
  lambdaMode({})
  writeFileSync(callLog, '')
  const runtime = await startTestLambdaRuntime(t, { templatePath: SHADOW_TEMPLATE, envOverrides: { [SHADOW_FUNCTION]: { SHADOW_MODE_FILE: modeFile, SHADOW_LOG_FILE: callLog } } })

  const main = await startWiredGateway(t, {
    doc: wiredConfig({
      legacyUrl: stub.url,
      lambdaEndpoint: runtime.url,
      legacy: { maxConcurrency: LEGACY_CAP, queue: { maxSize: 2, maxWaitMs: 100 } },
      routes: [
        { id: 'profiles.get', methods: ['GET'], path: '/api/profiles/:id', target: 'lambda', lambda: lambdaSection },
        mismatchGuardedRoute(),
        budgetsRoute,
        billingsRoute(50)
      ],
      extra: { async: { pollMs: 50, workerConcurrency: 2 } }
    }),
    dir,
    start: { ...start, logger: logger('main') }
  })

  const broken = await startWiredGateway(t, {
    doc: wiredConfig({
      legacyUrl: `http://127.0.0.1:${await closedPort()}`,
      routes: [budgetsRoute, billingsRoute(1)],
      extra: { async: { pollMs: 50, workerConcurrency: 1 } }
    }),
    start: { ...start, logger: logger('broken') }
  })

  const degraded = await startWiredGateway(t, {
    doc: wiredConfig({ legacyUrl: stub.url, routes: [budgetsRoute], extra: { distributed: { expectedReplicas: 2 } } }),
    env: { REDIS_URL: `redis://127.0.0.1:${await closedPort()}` },
    start: { ...start, logger: logger('degraded') }
  })

  const hostPort = (gw: WiredGateway): string => new URL(gw.adminUrl).host
  return { stub, main, broken, degraded, lambdaMode, instances: { main: hostPort(main), broken: hostPort(broken), degraded: hostPort(degraded) }, logs }
}
