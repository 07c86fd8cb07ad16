// The AWS Lambda Invoke API on a local port, as @aws-sdk/client-lambda speaks it:
//   POST /2015-03-31/functions/{FunctionName}/invocations
// with X-Amz-Invocation-Type (RequestResponse | Event | DryRun), X-Amz-Log-Type: Tail, Qualifier.
// Functions come from the SAM template, so the SDK with `endpoint` set needs no other change.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { randomUUID } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { functionNotFound, invalidContent, invalidParameter, MAX_PAYLOAD_BYTES, throttled, tooLarge, unknownOperation, type AwsErrorAnswer } from './aws-errors.js'
import { EventQueue } from './event-queue.js'
import { FunctionPool } from './function-pool.js'
import { logTailHeader } from './log-tail.js'
import { parseFunctionRef } from './function-ref.js'
import { loadTemplate } from './template.js'
import { invocationTraceHeader } from './trace-header.js'

export interface LambdaRuntimeOptions {
  templatePath: string
  port?: number
  host?: string
  parameterOverrides?: Record<string, string>
  /** Extra environment variables per FunctionName. */
  envOverrides?: Record<string, Record<string, string>>
  /** Idle environments are reaped after this long (default 5 min). */
  idleTimeoutMs?: number
  region?: string
  accountId?: string
  /** Cap for functions without ReservedConcurrentExecutions (default 100). */
  unreservedCap?: number
  /** Event invocations waiting for a free slot, per function, before 429 (default 1000). */
  eventQueueLimit?: number
  logger?: { info: (msg: string) => void, warn: (msg: string) => void, error: (msg: string) => void }
  /** Clock for the runtimes' deprecation dates (node-runtimes.ts). Default: now. */
  now?: () => Date
}

export interface LambdaRuntime {
  url: string
  port: number
  close: () => Promise<void>
  functions: () => Array<{ name: string, timeoutSeconds: number, memorySizeMb: number, reservedConcurrency: number | undefined, environments: number, inflight: number, queuedEvents: number }>
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/

export async function startLambdaRuntime (opts: LambdaRuntimeOptions): Promise<LambdaRuntime> {
  const region = opts.region ?? 'eu-central-1'
  const accountId = opts.accountId ?? '000000000000'
  // Throws RuntimeNotAcceptedError for a Runtime a new stack could not create (before listening).
  const specs = loadTemplate(opts.templatePath, { region, accountId, parameterOverrides: opts.parameterOverrides ?? {}, ...(opts.now ? { now: opts.now } : {}) })
  for (const spec of specs) {
    if (spec.runtimeStatus === 'deprecated') opts.logger?.warn(`lambda runtime: ${spec.name} uses ${spec.runtime}, which Lambda has deprecated (no more patches); move to a supported runtime`)
  }
  const pools = new Map<string, FunctionPool>()
  for (const spec of specs) {
    pools.set(spec.name, new FunctionPool(spec, {
      region,
      accountId,
      idleTimeoutMs: opts.idleTimeoutMs ?? 300_000,
      unreservedCap: opts.unreservedCap ?? 100,
      envOverrides: opts.envOverrides?.[spec.name]
    }))
  }
  const queues = new Map<FunctionPool, EventQueue>()
  for (const pool of pools.values()) {
    queues.set(pool, new EventQueue(pool, opts.eventQueueLimit ?? 1000, err => {
      opts.logger?.error(`lambda runtime: async ${pool.spec.name}: ${String(err)}`)
    }))
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(err => {
      opts.logger?.error(`lambda runtime: ${(err as Error).stack ?? String(err)}`)
      if (!res.headersSent) send(res, { status: 500, errorType: 'ServiceException', body: { Type: 'Service', message: 'Internal error' } }, randomUUID())
      else res.destroy()
    })
  })

  async function handle (req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID()
    const url = new URL(req.url ?? '/', 'http://runtime')
    const match = INVOKE_PATH.exec(url.pathname)
    if (req.method !== 'POST' || !match) return drainThen(req, () => send(res, unknownOperation(), requestId))

    const ref = parseFunctionRef(decodeURIComponent(match[1]!), url.searchParams.get('Qualifier'))
    const arnOf = (name: string): string => `arn:aws:lambda:${region}:${accountId}:function:${name}`
    if (!ref.ok) return drainThen(req, () => send(res, invalidParameter(ref.message), requestId))
    const pool = pools.get(ref.name)
    if (!pool || (ref.qualifier !== undefined && ref.qualifier !== '$LATEST')) {
      return drainThen(req, () => send(res, functionNotFound(arnOf(ref.name) + (ref.qualifier ? `:${ref.qualifier}` : '')), requestId))
    }

    const declared = Number(req.headers['content-length'] ?? 0)
    if (declared > MAX_PAYLOAD_BYTES) return drainThen(req, () => send(res, tooLarge(), requestId))
    const body = await readBody(req, MAX_PAYLOAD_BYTES)
    if (body === undefined) return send(res, tooLarge(), requestId)

    // An empty body is the SDK's answer to a missing Payload: the handler gets {} (Lambda passes {}).
    const text = body.length === 0 ? '{}' : body.toString('utf8')
    try {
      JSON.parse(text)
    } catch (err) {
      return send(res, invalidContent((err as Error).message), requestId)
    }

    const traceHeader = invocationTraceHeader(req.headers['x-amzn-trace-id'], pool.spec.tracing)
    const type = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse')
    if (type === 'DryRun') {
      res.writeHead(204, { 'x-amzn-requestid': requestId }).end()
      return
    }
    if (type !== 'RequestResponse' && type !== 'Event') {
      return send(res, invalidParameter(`Invalid InvocationType: ${type}`), requestId)
    }
    if (type === 'Event') {
      const queue = queues.get(pool)!
      if (!queue.offer({ requestId, event: text, traceHeader })) return send(res, throttled(), requestId)
      res.writeHead(202, { 'x-amzn-requestid': requestId, 'content-length': '0' }).end()
      return
    }
    if (!pool.tryReserve()) return send(res, throttled(), requestId)

    const outcome = await pool.run(requestId, text, traceHeader)
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-amzn-requestid': requestId,
      'x-amz-executed-version': '$LATEST'
    }
    if (outcome.functionError) headers['x-amz-function-error'] = outcome.functionError
    if (String(req.headers['x-amz-log-type'] ?? '').toLowerCase() === 'tail') headers['x-amz-log-result'] = logTailHeader(outcome.log)
    const payload = Buffer.from(outcome.payload, 'utf8')
    headers['content-length'] = String(payload.length)
    res.writeHead(200, headers).end(payload)
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 3001, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address() as AddressInfo
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address
  let closing: Promise<void> | undefined

  return {
    url: `http://${hostForUrl === '0.0.0.0' ? '127.0.0.1' : hostForUrl}:${address.port}`,
    port: address.port,
    functions: () => [...pools.values()].map(p => ({
      name: p.spec.name,
      timeoutSeconds: p.spec.timeoutSeconds,
      memorySizeMb: p.spec.memorySizeMb,
      reservedConcurrency: p.spec.reservedConcurrency,
      environments: p.environments,
      inflight: p.inflight,
      queuedEvents: queues.get(p)?.depth ?? 0
    })),
    close: () => (closing ??= (async () => {
      const stopped = new Promise<void>(resolve => server.close(() => resolve()))
      server.closeIdleConnections()
      await Promise.all([...queues.values()].map(q => q.close()))
      await Promise.all([...pools.values()].map(p => p.close()))
      server.closeAllConnections()
      await stopped
    })())
  }
}

function send (res: ServerResponse, answer: AwsErrorAnswer, requestId: string): void {
  const body = Buffer.from(JSON.stringify(answer.body), 'utf8')
  res.writeHead(answer.status, {
    'content-type': 'application/json',
    'content-length': String(body.length),
    'x-amzn-requestid': requestId,
    'x-amzn-errortype': answer.errorType,
    ...answer.headers
  }).end(body)
}

/** Reads the body; undefined (and the rest discarded) once it passes `limit` bytes. */
function readBody (req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let over = false
    req.on('data', (chunk: Buffer) => {
      if (over) return
      size += chunk.length
      if (size > limit) {
        over = true
        chunks.length = 0
        resolve(undefined)
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => { if (!over) resolve(Buffer.concat(chunks)) })
    req.on('error', reject)
  })
}

/** Answers after the request body is consumed, so the connection stays usable for keep-alive. */
function drainThen (req: IncomingMessage, answer: () => void): void {
  if (req.readableEnded) return answer()
  req.on('end', answer)
  req.on('error', answer)
  req.resume()
}
