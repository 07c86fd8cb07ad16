// The worker's Deliver port over undici: one request to legacy, body buffered (jobs are small,
// bounded by async.maxBodyBytes), answer read whole up to a cap. Use the app's legacy pool so
// deliveries share its keep-alive connections and TLS settings.
import type { Dispatcher } from 'undici'
import type { Deliver } from './deliver-job.js'

export interface LegacyDeliverOptions {
  /** legacy.url (a path prefix in it is kept). */
  url: string
  /** The legacy pool (targets/legacy-pool.ts) or any undici dispatcher. */
  dispatcher: Dispatcher
  timeoutMs: number
  /** Largest answer body read (bytes); the rest is discarded. Default 1 MiB. */
  maxResponseBytes?: number
}

export function legacyDeliver (opts: LegacyDeliverOptions): Deliver {
  const base = new URL(opts.url)
  const basePath = base.pathname.replace(/\/+$/, '')
  const cap = opts.maxResponseBytes ?? 1_048_576
  return async (req, signal) => {
    const res = await opts.dispatcher.request({
      origin: base.origin,
      method: req.method as Dispatcher.HttpMethod,
      path: basePath + req.target,
      headers: { ...req.headers, host: base.host, 'content-length': String(req.body.length) },
      body: req.body.length > 0 ? req.body : null,
      headersTimeout: opts.timeoutMs,
      bodyTimeout: opts.timeoutMs,
      signal
    })
    const chunks: Buffer[] = []
    let size = 0
    for await (const chunk of res.body) {
      const buf = chunk as Buffer
      if (size < cap) chunks.push(buf.subarray(0, cap - size))
      size += buf.length
    }
    return { status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }
  }
}
