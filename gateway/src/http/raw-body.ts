// Bodies stay bytes: the gateway never parses JSON (or anything else), so binary and malformed
// payloads pass through untouched. Every body is read WHOLE before anything is forwarded
// (docs/security.md, "Request bodies"): a body that breaks off (client gone, bad chunk framing,
// shorter than its Content-Length), grows past `server.bodyLimitBytes` or takes longer than
// `server.bodyTimeoutMs` is answered by the gateway (400/413/408 problem+json) and never starts
// a request upstream — legacy (IIS) would otherwise start work for a request nobody can finish.
// Reading whole also means a slow uploader holds no legacy permit (permits are taken after).
//
// The raw request only emits 'error' while someone listens (node:http IncomingMessage), so the
// collector listens for exactly as long as it reads, and nothing else ever wraps the stream.
import type { IncomingMessage } from 'node:http'
import type { Readable } from 'node:stream'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { PayloadTooLargeError, RequestBodyIncompleteError, RequestBodyTimeoutError } from '../errors.js'

type Done = (err: Error | null, body?: Buffer) => void

/**
 * Reads one request body to its end (or discards it when `keep` is false), then calls `done`
 * exactly once: the bytes, or a typed error. One object per body instead of a closure per event.
 */
class BodyReader {
  private chunks: Buffer[] = []
  private size = 0
  private timer: NodeJS.Timeout | undefined
  private settled = false

  constructor (private readonly raw: IncomingMessage, private readonly limit: number, private readonly declared: number,
    private readonly keep: boolean, private readonly done: Done) {
    this.onData = this.onData.bind(this)
    this.onEnd = this.onEnd.bind(this)
    this.onError = this.onError.bind(this)
    this.onClose = this.onClose.bind(this)
  }

  start (timeoutMs: number): void {
    const raw = this.raw
    raw.on('data', this.onData)
    raw.on('end', this.onEnd)
    raw.on('error', this.onError)
    raw.on('close', this.onClose)
    if (timeoutMs > 0) {
      this.timer = setTimeout(() => { this.finish(new RequestBodyTimeoutError(timeoutMs)) }, timeoutMs)
      this.timer.unref()
    }
    raw.resume()
  }

  onData (chunk: Buffer): void {
    this.size += chunk.length
    if (this.size > this.limit) { this.finish(new PayloadTooLargeError(this.limit)); return }
    if (this.keep) this.chunks.push(chunk)
  }

  onEnd (): void {
    // node:http reads a Content-Length body by its length, so a mismatch means it broke off.
    if (Number.isFinite(this.declared) && this.size !== this.declared) {
      this.finish(new RequestBodyIncompleteError(`${this.size} of ${this.declared} declared bytes`))
      return
    }
    this.finish(null)
  }

  onError (err: Error): void {
    this.finish(Object.assign(new RequestBodyIncompleteError(err.message), { cause: err }))
  }

  onClose (): void {
    this.finish(new RequestBodyIncompleteError('the connection closed before the body ended'))
  }

  private finish (err: Error | null): void {
    if (this.settled) return
    this.settled = true
    clearTimeout(this.timer)
    const raw = this.raw
    raw.removeListener('data', this.onData)
    raw.removeListener('end', this.onEnd)
    raw.removeListener('error', this.onError)
    raw.removeListener('close', this.onClose)
    if (err) {
      // Stop reading: the answer carries `connection: close` (problem.ts), the rest is never read.
      raw.pause()
      this.chunks = []
      this.done(err)
      return
    }
    const body = this.chunks.length === 1 ? this.chunks[0] as Buffer : Buffer.concat(this.chunks, this.size)
    this.chunks = []
    this.done(null, body)
  }
}

function declaredLength (raw: IncomingMessage): number {
  const header = raw.headers['content-length']
  return header === undefined ? Number.NaN : Number(header)
}

/**
 * A request with neither Content-Length nor Transfer-Encoding, or `Content-Length: 0`, has no
 * body (RFC 9112 §6.3): node:http ends it in the same parse as its head, so there is nothing to
 * wait for. `raw.complete` is still false in the hooks (the 'request' event comes first), and a
 * reader (listeners, a timer) for every GET is a hot-path cost.
 */
function hasNoBody (raw: IncomingMessage): boolean {
  const headers = raw.headers
  return headers['transfer-encoding'] === undefined && (headers['content-length'] === undefined || headers['content-length'] === '0')
}

function readRaw (request: FastifyRequest, keep: boolean, done: Done, limitBytes?: number): void {
  const server = request.server.gateway.config.server
  const limit = limitBytes ?? server.bodyLimitBytes
  const declared = declaredLength(request.raw)
  if (declared > limit) { done(new PayloadTooLargeError(limit)); return }
  new BodyReader(request.raw, limit, declared, keep, done).start(server.bodyTimeoutMs)
}

/** Replaces every content-type parser with one that hands the handler the whole body as a Buffer. */
export function registerRawBody (app: FastifyInstance): void {
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', (request, _payload, done) => { readRaw(request, true, done) })
}

/**
 * A body Fastify does not read (GET, HEAD, …: no content-type parser runs) still has to arrive
 * whole and valid before the request is forwarded without it: read and discard it.
 * Resolves at once when there is none or it has already been read.
 */
export function discardUnreadBody (request: FastifyRequest): Promise<void> | undefined {
  if (request.raw.complete || request.body !== undefined || hasNoBody(request.raw)) return undefined
  return new Promise((resolve, reject) => { readRaw(request, false, (err) => { if (err) reject(err); else resolve() }) })
}

/**
 * The whole raw body of a request Fastify has not parsed yet (the async intake answers in
 * onRequest), with the same limits, timeout and typed errors as every other body.
 */
export function readWholeBody (request: FastifyRequest, limitBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    readRaw(request, true, (err, body) => { if (err) reject(err); else resolve(body ?? Buffer.alloc(0)) }, limitBytes)
  })
}

/** Buffers a request body up to `limit` bytes (the Lambda target needs the whole event). */
export async function readBody (body: unknown, limit: number): Promise<Buffer> {
  if (body === undefined || body === null) return Buffer.alloc(0)
  if (Buffer.isBuffer(body)) {
    if (body.length > limit) throw new PayloadTooLargeError(limit)
    return body
  }
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body as Readable) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string)
    size += buf.length
    if (size > limit) {
      (body as Readable).destroy()
      throw new PayloadTooLargeError(limit)
    }
    chunks.push(buf)
  }
  return Buffer.concat(chunks, size)
}
