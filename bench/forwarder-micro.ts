// `node dist/bench/forwarder-micro.js`: the legacy forward alone, @fastify/reply-from (as the
// gateway used it: retries off, header hygiene both ways, our own undici pool) against the lean
// LegacyForwarder — each in its own child process on the same kind of pool, nothing else in the
// app, in front of one origin. Closed loop (autocannon), interleaved rounds, medians; CPU per
// request is the child's own user+system time over the requests it served.
// Env: BENCH_SCALE (round length ×, default 1 = 5 s), BENCH_ROUNDS (default 3), FWD_BODY_BYTES
// (answer size, default 64).
import { fork } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { IncomingHttpHeaders } from 'node:http'
import { fileURLToPath } from 'node:url'
import Fastify from 'fastify'
import replyFrom from '@fastify/reply-from'
import type { FastifyReplyFromOptions } from '@fastify/reply-from'
import { closedLoop } from './lib/closed-loop.js'
import { median } from './lib/stats.js'
import { backwardResponseHeaders, forwardRequestHeaders } from '../gateway/src/http/header-hygiene.js'
import type { ForwardContext } from '../gateway/src/http/header-hygiene.js'
import { createLegacyPool } from '../gateway/src/targets/legacy-pool.js'
import { LegacyForwarder } from '../gateway/src/targets/legacy-forwarder.js'
import type { GatewayConfig } from '../gateway/src/config/schema.js'
import type { RequestOutcome, RoutingDecision } from '../gateway/src/pipeline/context.js'

type Kind = 'reply-from' | 'lean'
const KINDS: Kind[] = ['reply-from', 'lean']

function contextOf (request: { id: string, raw: { socket: { remoteAddress?: string | undefined } } }): ForwardContext {
  return { peer: request.raw.socket.remoteAddress, peerTrusted: false, encrypted: false, requestId: request.id, internalHeaders: new Set() }
}

async function child (kind: Kind, originUrl: string): Promise<void> {
  const legacy = { url: originUrl, timeoutMs: 5000, connectTimeoutMs: 1000, connections: 64, keepAliveTimeoutMs: 4000 } as GatewayConfig['legacy']
  const pool = createLegacyPool(legacy)
  const app = Fastify({ logger: false })
  app.decorateRequest('outcome', null as unknown as RequestOutcome)
  app.decorateRequest('routing', null as unknown as RoutingDecision)
  app.addHook('onRequest', (request, _reply, done) => {
    request.outcome = { startedAt: 0 }
    request.routing = { path: request.url.split('?')[0] ?? '/' } as RoutingDecision
    done()
  })
  if (kind === 'reply-from') {
    await app.register(replyFrom, {
      base: originUrl,
      undici: pool as unknown as FastifyReplyFromOptions['undici'],
      retryMethods: [],
      maxRetriesOn503: 0,
      disableRequestLogging: true,
      contentTypesToEncode: []
    })
    app.all('/*', async (request, reply) => reply.from(request.routing.path, {
      timeout: legacy.timeoutMs,
      retriesCount: 0,
      retryDelay: () => null,
      rewriteRequestHeaders: (req) => {
        const headers = forwardRequestHeaders(req.headers, contextOf(req))
        headers.host = new URL(originUrl).host
        return headers as IncomingHttpHeaders
      },
      rewriteHeaders: (headers) => backwardResponseHeaders(headers) as IncomingHttpHeaders,
      onResponse: (_req, rep, res) => { rep.send(res.stream) }
    }))
  } else {
    const forwarder = new LegacyForwarder(pool)
    const permits = { hold: () => noEnd }
    app.all('/*', async (request, reply) => {
      forwarder.forward(request, reply, legacy, forwardRequestHeaders(request.headers, contextOf(request)), permits)
      return reply
    })
  }
  await app.listen({ port: 0, host: '127.0.0.1' })
  process.on('message', () => { process.send?.({ cpu: process.cpuUsage() }) })
  process.send?.({ port: (app.server.address() as AddressInfo).port })
}

const noEnd = (): void => {}

interface Child { kind: Kind, proc: ChildProcess, url: string }

function request (proc: ChildProcess): Promise<{ cpu?: NodeJS.CpuUsage, port?: number }> {
  return new Promise(resolve => { proc.once('message', (m) => { resolve(m as { cpu?: NodeJS.CpuUsage, port?: number }) }) })
}

async function main (): Promise<void> {
  const scale = Number(process.env.BENCH_SCALE ?? '1')
  const rounds = Number(process.env.BENCH_ROUNDS ?? '3')
  const body = Buffer.alloc(Number(process.env.FWD_BODY_BYTES ?? '64'), 'x')
  const origin = createServer((_req, res) => { res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length }); res.end(body) })
  await new Promise<void>(resolve => origin.listen(0, '127.0.0.1', resolve))
  const originUrl = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`
  const self = fileURLToPath(import.meta.url)
  const children: Child[] = []
  for (const kind of KINDS) {
    const proc = fork(self, ['child', kind, originUrl])
    const { port } = await request(proc)
    children.push({ kind, proc, url: `http://127.0.0.1:${port ?? 0}/api/x?y=1` })
  }
  const durationS = Math.max(1, 5 * scale)
  const figures = new Map<Kind, { rps: number[], p99: number[], cpu: number[] }>(KINDS.map(k => [k, { rps: [], p99: [], cpu: [] }]))
  for (const c of children) await closedLoop({ url: c.url, connections: 10, durationS: Math.max(1, durationS / 2) })
  for (let round = 0; round < rounds; round++) {
    for (const c of children) {
      c.proc.send('cpu')
      const before = (await request(c.proc)).cpu as NodeJS.CpuUsage
      const r = await closedLoop({ url: c.url, connections: 10, durationS })
      c.proc.send('cpu')
      const after = (await request(c.proc)).cpu as NodeJS.CpuUsage
      const cpuUs = (after.user - before.user + after.system - before.system) / Math.max(1, r.total)
      const f = figures.get(c.kind)
      f?.rps.push(r.rps); f?.p99.push(r.p99); f?.cpu.push(cpuUs)
      process.stdout.write(`round ${round + 1} ${c.kind}: ${r.rps} req/s p99 ${r.p99} ms ${cpuUs.toFixed(1)} cpu µs/req errors ${r.errors}\n`)
    }
  }
  process.stdout.write('\n| forward | req/s | p99 ms | cpu µs/req |\n|---|---|---|---|\n')
  for (const kind of KINDS) {
    const f = figures.get(kind)
    if (f) process.stdout.write(`| ${kind} | ${median(f.rps)} | ${median(f.p99)} | ${median(f.cpu).toFixed(1)} |\n`)
  }
  for (const c of children) c.proc.kill()
  origin.close()
}

if (process.argv[2] === 'child') {
  child(process.argv[3] as Kind, process.argv[4] ?? '').catch((err: unknown) => { process.stderr.write(String(err) + '\n'); process.exit(1) })
} else {
  main().catch((err: unknown) => { process.stderr.write(`forwarder-micro: ${(err as Error).stack ?? String(err)}\n`); process.exit(1) })
}
