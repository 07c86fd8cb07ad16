// A bare Fastify app whose only route forwards through LegacyForwarder on a real legacy pool, so
// the forwarder's guarantees are tested on real sockets without the rest of the gateway: the
// upstream call's bookkeeping (what the permit hold sees) is recorded, and each reply's raw
// response is kept for back-pressure checks.
import Fastify from 'fastify'
import type { FastifyReply } from 'fastify'
import type { AddressInfo } from 'node:net'
import type { ServerResponse } from 'node:http'
import { forwardRequestHeaders } from '../../gateway/src/http/header-hygiene.js'
import type { HeaderMap } from '../../gateway/src/http/header-hygiene.js'
import { createLegacyPool } from '../../gateway/src/targets/legacy-pool.js'
import type { LegacyPoolOptions } from '../../gateway/src/targets/legacy-pool.js'
import { LegacyForwarder } from '../../gateway/src/targets/legacy-forwarder.js'
import type { AnswerObserver } from '../../gateway/src/targets/legacy-response-writer.js'
import type { GatewayConfig } from '../../gateway/src/config/schema.js'
import type { RequestOutcome, RoutingDecision } from '../../gateway/src/pipeline/context.js'

interface Tap { teardown: (fn: () => unknown) => void }

export interface CallRecord {
  /** Calls dispatched (the permit hold began). */
  begun: number
  /** Calls whose end ran, with what they ended with (undefined = no fault of legacy's). */
  ended: unknown[]
  /** Calls begun and not yet ended: what holds a permit. */
  active: () => number
  /** The forwarder's own in-flight count (the upstream gauge). */
  inflight: () => number
}

export interface ForwarderHarness {
  url: string
  calls: CallRecord
  outcomes: RequestOutcome[]
  replies: ServerResponse[]
}

export interface HarnessOptions {
  legacy?: Partial<GatewayConfig['legacy']>
  tls?: LegacyPoolOptions
  /** Extra headers added after hygiene (to reach undici with what a client cannot send). */
  inject?: HeaderMap
  /** A wait before forwarding, as for a permit (a client may leave meanwhile). */
  delayMs?: number
  /** Observes every answer (what shadow traffic would see). */
  observer?: AnswerObserver
}

export async function startForwarderHarness (t: Tap, legacyUrl: string, opts: HarnessOptions = {}): Promise<ForwarderHarness> {
  const legacy = {
    url: legacyUrl, timeoutMs: 2000, connectTimeoutMs: 1000, connections: 4, keepAliveTimeoutMs: 4000, ...opts.legacy
  } as GatewayConfig['legacy']
  const pool = createLegacyPool(legacy, opts.tls)
  let inflight = 0
  const forwarder = new LegacyForwarder(pool, { inc: () => { inflight++ }, dec: () => { inflight-- } })
  const calls: CallRecord = { begun: 0, ended: [], active: () => calls.begun - calls.ended.length, inflight: () => inflight }
  const outcomes: RequestOutcome[] = []
  const replies: ServerResponse[] = []
  const app = Fastify({ logger: false })
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 64 * 1024 * 1024 }, (_req, body, done) => { done(null, body) })
  app.decorateRequest('routing', null as unknown as RoutingDecision)
  app.decorateRequest('outcome', null as unknown as RequestOutcome)
  app.addHook('onRequest', (request, reply, done) => {
    const url = request.raw.url ?? '/'
    const q = url.indexOf('?')
    request.routing = { path: q === -1 ? url : url.slice(0, q) } as RoutingDecision
    request.outcome = { startedAt: performance.now() }
    outcomes.push(request.outcome)
    replies.push(reply.raw)
    reply.header('x-request-id', request.id)
    done()
  })
  const permits = {
    hold: () => {
      calls.begun++
      return (upstreamError?: unknown) => { calls.ended.push(upstreamError) }
    }
  }
  app.all('/*', async (request, reply): Promise<FastifyReply> => {
    const headers = forwardRequestHeaders(request.headers, {
      peer: request.raw.socket.remoteAddress, peerTrusted: false, encrypted: false, requestId: request.id, internalHeaders: new Set()
    })
    Object.assign(headers, opts.inject)
    if (opts.delayMs !== undefined) await new Promise(resolve => setTimeout(resolve, opts.delayMs))
    forwarder.forward(request, reply, legacy, headers, permits, opts.observer)
    return reply
  })
  t.teardown(async () => { await app.close(); await pool.destroy() })
  await app.listen({ port: 0, host: '127.0.0.1' })
  return { url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, calls, outcomes, replies }
}
