// Bodies stay bytes: the gateway never parses JSON (or anything else), so binary and
// malformed payloads pass through untouched and a large upload streams to legacy instead of
// being buffered. The body limit is enforced here because Fastify applies `bodyLimit` only to
// its own parsers, not to a pass-through stream.
import { Transform } from 'node:stream'
import type { TransformCallback, Readable } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import { PayloadTooLargeError } from '../errors.js'

/** Counts bytes as they stream and fails the stream once `limit` is passed (chunked bodies). */
export class ByteLimit extends Transform {
  bytes = 0
  constructor (readonly limit: number) { super() }
  override _transform (chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length
    if (this.bytes > this.limit) done(new PayloadTooLargeError(this.limit))
    else done(null, chunk)
  }
}

/** Replaces every content-type parser with one that hands the handler a limited byte stream. */
export function registerRawBody (app: FastifyInstance, limitBytes: number): void {
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', (request, payload, done) => {
    const declared = Number(request.headers['content-length'])
    if (Number.isFinite(declared) && declared > limitBytes) {
      done(new PayloadTooLargeError(limitBytes), undefined)
      return
    }
    const limited = new ByteLimit(limitBytes)
    payload.on('error', (err) => limited.destroy(err))
    done(null, payload.pipe(limited))
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
