// The traced gateway as the product runs it: startGateway() from a config file with the OTEL_*
// variables pointing at a real OTLP/HTTP receiver (test/helpers/otlp-receiver.ts), a recording
// legacy origin that keeps the headers of every request, the local Lambda runtime with the
// gateway fixtures (Echo-TEST answers with the event it received), request log lines captured.
import { fileURLToPath } from 'node:url'
import type { IncomingHttpHeaders } from 'node:http'
import { createLogger } from '../../gateway/src/logging.js'
import { startLambdaRuntime } from '../../lambdas/runtime/start.js'
import { logCapture, startOrigin } from './gateway.js'
import { startOtlpReceiver } from './otlp-receiver.js'
import type { OtlpReceiver, ReceivedSpan } from './otlp-receiver.js'
import { startWiredGateway, wiredConfig } from './wired-gateway.js'
import type { WiredGateway } from './wired-gateway.js'
import type { Test } from 'tap'

export const GATEWAY_LAMBDAS = fileURLToPath(new URL('../fixtures/gateway-lambdas/template.yaml', import.meta.url))
export const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736'
export const CLIENT_PARENT = '00f067aa0ba902b7'

export interface LegacySeen { method: string, url: string, headers: IncomingHttpHeaders }

export interface TracedWorld {
  gw: WiredGateway
  receiver: OtlpReceiver
  /** Every request the legacy origin received. */
  legacySeen: LegacySeen[]
  /** The gateway's request log lines. */
  requestLines: () => Array<Record<string, unknown>>
  /** Waits for every span of the trace with a span named `rootName` … until `count` spans of it arrived. */
  traceOf: (traceId: string, count: number) => Promise<ReceivedSpan[]>
}

/** The async write both async tracing tests send (`POST /api/billings`, quick retries). */
export const ASYNC_BILLINGS_ROUTE = {
  id: 'billings.create',
  methods: ['POST'],
  path: '/api/billings',
  target: 'legacy',
  async: { enabled: true, maxAttempts: 5, backoff: { baseMs: 20, maxMs: 200 }, deadLetterAfter: 600_000 }
}

export interface TracedWorldOptions {
  /** OTEL_* (and other) env on top of the exporter's; `{}` with `tracing: false` = tracing off. */
  env?: Record<string, string>
  tracing?: boolean
  /** Routes of the config (default: wiredConfig's shipped three, with Echo-TEST for users.get). */
  routes?: unknown[]
  legacy?: Record<string, unknown>
  extra?: Record<string, unknown>
  /** ms the legacy origin waits before answering (default 0). */
  legacyDelayMs?: number
}

export async function startTracedWorld (t: Test, o: TracedWorldOptions = {}): Promise<TracedWorld> {
  const receiver = await startOtlpReceiver(t)
  const legacySeen: LegacySeen[] = []
  const origin = await startOrigin(t, (req, res) => {
    legacySeen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers })
    const answer = (): void => {
      res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' }).end(JSON.stringify({ Id: 1, Path: req.url }))
    }
    if (o.legacyDelayMs) setTimeout(answer, o.legacyDelayMs)
    else answer()
  })
  const runtime = await startLambdaRuntime({ templatePath: GATEWAY_LAMBDAS, port: 0, host: '127.0.0.1' })
  t.teardown(() => runtime.close())
  const logs = logCapture()
  const tracingEnv: Record<string, string> = o.tracing === false ? {} : { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: 'gateway-under-test', OTEL_BSP_SCHEDULE_DELAY: '50' }
  const doc = wiredConfig({
    legacyUrl: origin.url,
    lambdaEndpoint: runtime.url,
    ...(o.legacy ? { legacy: o.legacy } : {}),
    ...(o.extra ? { extra: o.extra } : {}),
    routes: o.routes ?? [
      { id: 'users.get', methods: ['GET'], path: '/api/users/:id', target: 'lambda', lambda: { function: 'Echo-TEST', timeoutMs: 3000, maxConcurrency: 10 } },
      { id: 'budgets.get', methods: ['GET'], path: '/api/budgets/:projectId', target: 'legacy' }
    ]
  })
  const gw = await startWiredGateway(t, {
    doc,
    env: { ...tracingEnv, ...o.env },
    start: { logger: createLogger({ level: 'info', stream: logs.stream }) }
  })
  return {
    gw,
    receiver,
    legacySeen,
    requestLines: logs.requestLines,
    traceOf: async (traceId, count) => {
      const spans = await receiver.waitFor(all => all.filter(s => s.traceId === traceId).length >= count)
      return spans.filter(s => s.traceId === traceId)
    }
  }
}

/** The one span named `name` (fails the test with the names seen when there is not exactly one). */
export function only (spans: readonly ReceivedSpan[], name: string): ReceivedSpan {
  const found = spans.filter(s => s.name === name)
  if (found.length !== 1) throw new Error(`expected one span "${name}", got ${found.length} among: ${spans.map(s => s.name).join(', ')}`)
  return found[0]!
}

/** `00-<trace>-<span>-<flags>` → its parts. */
export function parseTraceparent (value: unknown): { traceId: string, spanId: string, flags: string } | undefined {
  const m = typeof value === 'string' ? /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/.exec(value) : null
  return m ? { traceId: m[1]!, spanId: m[2]!, flags: m[3]! } : undefined
}
