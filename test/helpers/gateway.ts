// Gateway test helpers: a full config object without a file, a gateway built and listening on
// port 0 (public + admin) with teardown registered, a pino capture stream, and a tiny origin
// server for proxy behaviours the legacy stub does not model (echo, reset, hang, TLS).
import { createServer } from 'node:http'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Writable } from 'node:stream'
import { build } from '../../gateway/src/app.js'
import type { BuildDeps, GatewayApp } from '../../gateway/src/app.js'
import type { GatewayConfig, RouteConfig } from '../../gateway/src/config/schema.js'
import { createLogger } from '../../gateway/src/logging.js'
import { DEFAULT_STRIP_HEADERS } from '../../gateway/src/config/schema/server.schema.js'

interface Tap { teardown: (fn: () => unknown) => void }

export interface ConfigOverrides {
  server?: Partial<GatewayConfig['server']>
  legacy?: Partial<GatewayConfig['legacy']>
  lambda?: Partial<GatewayConfig['lambda']>
  routes?: RouteConfig[]
}

/** The shipped routes (config/gateway.yaml), with function names for the DEV stage. */
export function shippedRoutes (): RouteConfig[] {
  const lambda = (fn: string, timeoutMs = 3000): RouteConfig['lambda'] => ({ function: fn, timeoutMs } as RouteConfig['lambda'])
  return [
    { id: 'users.list', methods: ['GET'], path: '/api/users', target: 'lambda', lambda: lambda('Users-DEV') },
    { id: 'users.get', methods: ['GET'], path: '/api/users/:id', target: 'lambda', lambda: lambda('Users-DEV') },
    { id: 'projects.list', methods: ['GET'], path: '/api/projects', target: 'lambda', lambda: lambda('Projects-DEV') },
    { id: 'projects.get', methods: ['GET'], path: '/api/projects/:id', target: 'lambda', lambda: lambda('Projects-DEV') },
    { id: 'budgets.get', methods: ['GET'], path: '/api/budgets/:projectId', target: 'legacy', lambda: lambda('Budget-DEV') }
  ] as RouteConfig[]
}

/** A complete, valid config (the schema's defaults) for tests; routes default to the shipped ones. */
export function testConfig (o: ConfigOverrides = {}): GatewayConfig {
  return {
    stage: 'dev',
    server: {
      host: '127.0.0.1',
      port: 0,
      bodyLimitBytes: 10_485_760,
      bodyTimeoutMs: 10_000,
      exposeRoutingHeaders: true,
      trustedProxies: [],
      internalHeaders: [],
      stripHeaders: [...DEFAULT_STRIP_HEADERS],
      shutdownGraceMs: 5000,
      caseSensitive: false,
      ...o.server
    },
    admin: { host: '127.0.0.1', port: 0 },
    legacy: {
      url: 'http://127.0.0.1:9',
      timeoutMs: 2000,
      connectTimeoutMs: 1000,
      connections: 16,
      keepAliveTimeoutMs: 4000,
      ...o.legacy
    },
    lambda: { endpoint: '', region: 'eu-central-1', contexts: {}, ...o.lambda },
    routes: o.routes ?? shippedRoutes()
  } as unknown as GatewayConfig
}

/** Collects pino lines; `lines()` parses them, `requestLines()` keeps the per-request ones. */
export function logCapture (): { stream: Writable, lines: () => Array<Record<string, unknown>>, requestLines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = []
  const stream = new Writable({ write (chunk: Buffer, _enc, done) { chunks.push(chunk.toString()); done() } })
  const lines = (): Array<Record<string, unknown>> => chunks.join('').split('\n').filter(Boolean).map(l => JSON.parse(l) as Record<string, unknown>)
  return { stream, lines, requestLines: () => lines().filter(l => l.msg === 'request') }
}

export interface TestGateway {
  app: GatewayApp
  url: string
  adminUrl: string
}

/** Builds the gateway and listens on port 0 (both listeners); closes it at teardown. */
export async function startTestGateway (t: Tap, config: GatewayConfig, deps: BuildDeps = {}): Promise<TestGateway> {
  const app = await build(config, { logger: createLogger({ level: 'silent' }), processMetrics: false, ...deps })
  t.teardown(() => app.close())
  await app.public.listen({ port: 0, host: '127.0.0.1' })
  await app.admin.listen({ port: 0, host: '127.0.0.1' })
  app.context.lifecycle.listening = true
  const port = (s: Server): number => (s.address() as AddressInfo).port
  return { app, url: `http://127.0.0.1:${port(app.public.server)}`, adminUrl: `http://127.0.0.1:${port(app.admin.server)}` }
}

export type OriginHandler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void

/** A plain node:http origin on port 0; `requests` counts what reached it. */
export async function startOrigin (t: Tap, handler: OriginHandler): Promise<{ url: string, requests: () => number, server: Server }> {
  let count = 0
  const server = createServer((req, res) => {
    count++
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => handler(req, res, Buffer.concat(chunks)))
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>(resolve => { server.closeAllConnections(); server.close(() => resolve()) }))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => count, server }
}

/** Origin that answers with what it received: method, url, headers, body (base64). */
export function echoHandler (): OriginHandler {
  return (req, res, body) => {
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body: body.toString('base64') }))
  }
}

export interface RawResponse { status: number, headers: IncomingMessage['headers'], body: Buffer }

/** node:http request that sends the path and headers exactly as given: no URL parsing (which
 * would resolve `%2e%2e`, backslashes and `..` client-side) and no header filtering (undici
 * drops `connection` & co). `url` is `http://host:port` + the raw request target. */
export async function rawRequest (url: string, opts: { method?: string, headers?: Record<string, string | string[]>, body?: Buffer | string } = {}): Promise<RawResponse> {
  const { request } = await import('node:http')
  const m = /^http:\/\/([^/:]+):(\d+)(.*)$/.exec(url)
  if (!m) throw new Error(`rawRequest: not an http://host:port URL: ${url}`)
  return new Promise((resolve, reject) => {
    const req = request({ host: m[1], port: Number(m[2]), path: m[3] || '/', method: opts.method ?? 'GET', headers: opts.headers ?? {}, agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(opts.body)
  })
}

/** Polls `condition` every 10 ms (bounded by the test's own timeout). */
export async function until (condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise(resolve => setTimeout(resolve, 10))
}
