// Hostile-HTTP test tools: raw bytes over net.Socket (no client library normalising anything),
// a recording upstream that keeps every request it saw (including ones aborted mid-body and
// bytes it could not parse), and the shipped stack (config/gateway.yaml, the real local Lambda
// runtime, the recording upstream as legacy) started in-process on port 0.
import { createServer } from 'node:http'
import type { IncomingHttpHeaders, Server } from 'node:http'
import { connect } from 'node:net'
import type { AddressInfo } from 'node:net'
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse, stringify } from 'yaml'
import { startGateway } from '../../gateway/src/server.js'
import type { RunningGateway } from '../../gateway/src/server.js'
import { createLogger } from '../../gateway/src/logging.js'
import { startLambdaRuntime } from '../../lambdas/runtime/start.js'
import { REAL_TEMPLATE } from './lambda-runtime.js'

interface Tap { teardown: (fn: () => unknown) => void, testdir?: () => string }

export const SHIPPED_CONFIG = fileURLToPath(new URL('../../config/gateway.yaml', import.meta.url))
export const RAW_ADMIN_TOKEN = 'raw-http-admin-token-0123456789'

export interface RawExchange {
  /** Everything the gateway sent back until it closed the connection or `idleMs` passed. */
  bytes: Buffer
  /** Status codes of every response in `bytes` (pipelining: several). */
  statuses: number[]
  /** Header blocks of every response, lower-case names. */
  heads: Array<Record<string, string>>
  closed: boolean
}

/** Splits a byte stream of HTTP/1.1 responses into status codes and header blocks. */
export function parseResponses (bytes: Buffer): Pick<RawExchange, 'statuses' | 'heads'> {
  const text = bytes.toString('latin1')
  const statuses: number[] = []
  const heads: Array<Record<string, string>> = []
  const re = /HTTP\/1\.[01] (\d{3})[^\r\n]*\r\n((?:[^\r\n]+\r\n)*)\r\n/g
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m[1] === '100') continue
    statuses.push(Number(m[1]))
    const head: Record<string, string> = {}
    for (const line of (m[2] ?? '').split('\r\n')) {
      const i = line.indexOf(':')
      if (i > 0) head[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim()
    }
    heads.push(head)
  }
  return { statuses, heads }
}

/**
 * Writes `parts` to a fresh connection (a pause of `gapMs` between parts), then reads until the
 * server closes, or nothing arrived for `idleMs`, or `end` asked to hang up early.
 */
export async function sendRaw (url: string, parts: Array<string | Buffer>, opts: { idleMs?: number, gapMs?: number, hangUpAfterWrite?: boolean } = {}): Promise<RawExchange> {
  const { hostname, port } = new URL(url)
  const idleMs = opts.idleMs ?? 1000
  return await new Promise((resolve) => {
    const socket = connect(Number(port), hostname)
    const chunks: Buffer[] = []
    let closed = false
    let idle: NodeJS.Timeout | undefined
    const finish = (): void => {
      clearTimeout(idle)
      socket.destroy()
      const bytes = Buffer.concat(chunks)
      resolve({ bytes, ...parseResponses(bytes), closed })
    }
    const arm = (): void => { clearTimeout(idle); idle = setTimeout(finish, idleMs) }
    socket.on('data', (c: Buffer) => { chunks.push(c); arm() })
    socket.on('close', () => { closed = true; finish() })
    socket.on('error', () => { /* a reset is an answer too: 'close' follows */ })
    const writeAll = async (): Promise<void> => {
      for (const [i, part] of parts.entries()) {
        if (socket.destroyed) return
        if (i > 0 && opts.gapMs) await new Promise(resolve => setTimeout(resolve, opts.gapMs))
        socket.write(part)
      }
      if (opts.hangUpAfterWrite) { setImmediate(() => { socket.destroy(); finish() }); return }
      arm()
    }
    socket.on('connect', () => { writeAll().catch(finish) })
  })
}

export interface Recorded {
  method: string
  url: string
  headers: IncomingHttpHeaders
  /** The whole body arrived (false: the request was aborted mid-body). */
  complete: boolean
  body: Buffer
}

export interface RecordingUpstream {
  url: string
  server: Server
  requests: Recorded[]
  /** Bytes the upstream's own parser refused (a smuggled or broken request would land here). */
  unparsed: number
  /** Make the next answers wait (ms) so permits stay taken. */
  delayMs: number
}

/** A raw node:http server that records every request (answered 200 JSON, `x-recorded-method` / `x-recorded-url` = what it got). */
export async function startRecordingUpstream (t: Tap): Promise<RecordingUpstream> {
  const up: RecordingUpstream = { url: '', server: undefined as unknown as Server, requests: [], unparsed: 0, delayMs: 0 }
  const server = createServer((req, res) => {
    const rec: Recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, complete: false, body: Buffer.alloc(0) }
    up.requests.push(rec)
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('error', () => {})
    req.on('end', () => {
      rec.complete = true
      rec.body = Buffer.concat(chunks)
      const answer = (): void => {
        if (res.destroyed) return
        res.setHeader('content-type', 'application/json')
        res.setHeader('x-recorded-url', encodeURI(rec.url))
        res.setHeader('x-recorded-method', rec.method)
        res.end(JSON.stringify({ ok: true }))
      }
      if (up.delayMs > 0) setTimeout(answer, up.delayMs)
      else answer()
    })
  })
  server.on('clientError', (_err, socket) => { up.unparsed++; socket.destroy() })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>(resolve => { server.closeAllConnections(); server.close(() => resolve()) }))
  up.server = server
  up.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return up
}

export interface ShippedStack { gateway: RunningGateway, lambdaUrl: string, logs: () => string }

/**
 * config/gateway.yaml as shipped (stage dev), legacy = `legacyUrl`, the real Lambda runtime with
 * lambdas/template.yaml, ports 0, state in `stateDir`. Logs are kept (printed by callers on failure).
 */
export async function startShippedStack (t: Tap, legacyUrl: string, stateDir: string, opts: { server?: Record<string, unknown> } = {}): Promise<ShippedStack> {
  // Overrides go in a stage overlay next to a copy of the shipped file: the file itself is used as is.
  let configPath = SHIPPED_CONFIG
  if (opts.server) {
    configPath = join(stateDir, 'gateway.yaml')
    mkdirSync(join(stateDir, 'stages'), { recursive: true })
    copyFileSync(SHIPPED_CONFIG, configPath)
    const shippedDev = parse(readFileSync(join(dirname(SHIPPED_CONFIG), 'stages', 'dev.yaml'), 'utf8')) as { server?: object }
    writeFileSync(join(stateDir, 'stages', 'dev.yaml'), stringify({ ...shippedDev, server: { ...shippedDev.server, ...opts.server } }))
  }
  const runtime = await startLambdaRuntime({ templatePath: REAL_TEMPLATE, port: 0, host: '127.0.0.1' })
  t.teardown(() => runtime.close())
  const lines: string[] = []
  const logger = createLogger({ level: 'info', stream: { write: (line: string) => { if (lines.length < 5000) lines.push(line) } } })
  const gateway = await startGateway({
    configPath,
    stage: 'dev',
    env: { LEGACY_URL: legacyUrl, LAMBDA_ENDPOINT: runtime.url, GATEWAY_ADMIN_TOKEN: RAW_ADMIN_TOKEN, PORT: '0', ADMIN_PORT: '0' },
    port: 0,
    adminPort: 0,
    stateDir: join(stateDir, 'var'),
    watch: false,
    logger,
    deps: { processMetrics: false }
  })
  t.teardown(() => gateway.stop())
  return { gateway, lambdaUrl: runtime.url, logs: () => lines.join('') }
}

/** GET on the admin API with the raw-http token. */
export async function adminJson (gateway: RunningGateway, path: string): Promise<any> {
  const res = await fetch(gateway.adminUrl + path, { headers: { authorization: `Bearer ${RAW_ADMIN_TOKEN}` } })
  return await res.json()
}
