// The public side of the async integration (inside the pipeline's async-intake stage). Registered
// BEFORE the protection stage: its onRequest hook answers async writes and job status itself, so
// the intake never waits for (or is shed by) legacy's shield — the worker meets the shield later.
//   - `<prefix>/<id>` (GET/HEAD): the job's state; 404 for unknown ids. The prefix is reserved:
//     nothing under it is ever routed or forwarded.
//   - a write to a route with `async.enabled` whose target is legacy: the request (its headers
//     as a synchronous forward sends them, minus secrets; body up to async.maxBodyBytes) is committed to the queue, then
//     `202 Accepted` + `Location: <prefix>/<id>`; a full queue or a failed write → 503 +
//     Retry-After and nothing acknowledged. A repeated Idempotency-Key answers the same job.
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type {} from '../pipeline/context.js'
import { AsyncIdempotencyMismatchError, AsyncJobNotFoundError, AsyncQueueWriteError, RequestInvalidError } from '../errors.js'
import { forwardHeadersOf } from '../http/forward-headers.js'
import { sendProblem } from '../http/problem.js'
import { readWholeBody } from '../http/raw-body.js'
import type { CodedError } from '../http/problem.js'
import { ASYNC_METHODS, isUnderPrefix, resolveAsyncSection, resolveRouteAsync } from './async.schema.js'
import type { AsyncSectionConfig, RouteAsyncConfig } from './async.schema.js'
import type { JobQueue } from './job-queue.port.js'
import { clientIdempotencyKey, idempotencyScope, requestFingerprint, storedRequest } from './job-request.js'
import { jobView } from './job-view.js'

export interface AsyncRoutesOptions {
  queue: JobQueue
  /** The `async:` section; default `app.gateway.config.async`, else the defaults. */
  settings?: Partial<AsyncSectionConfig>
  /** Called after each new job is committed (bind to worker.wake()). */
  onEnqueued?: () => void
  /** Seconds in Retry-After of a 503 (queue full, write failure). Default 5. */
  retryAfterSeconds?: number
  now?: () => number
}

function isCoded (err: unknown): err is CodedError & { statusCode: number } {
  return typeof (err as CodedError)?.code === 'string' && (err as CodedError).code.startsWith('GW_ERR_')
}

async function asyncRoutesImpl (app: FastifyInstance, opts: AsyncRoutesOptions): Promise<void> {
  const fromConfig = app.gateway?.config.async
  const settings = resolveAsyncSection(opts.settings ?? fromConfig)
  const prefix = settings.pathPrefix.replace(/\/+$/, '')
  const now = opts.now ?? Date.now
  const retryAfter = String(opts.retryAfterSeconds ?? 5)
  const { queue } = opts

  const fail = (request: FastifyRequest, reply: FastifyReply, err: CodedError & { statusCode?: number }): FastifyReply => {
    request.outcome.errorCode = err.code
    if (err.code === 'GW_ERR_REQUEST_PAYLOAD_TOO_LARGE') request.outcome.rejection = 'payload_too_large'
    const headers = (err.statusCode ?? 500) === 503 ? { 'retry-after': retryAfter } : undefined
    return sendProblem(request, reply, err, headers ? { headers } : {})
  }

  const status = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const rest = request.routing.path.slice(prefix.length + 1)
    const job = (request.method === 'GET' || request.method === 'HEAD') && /^[A-Za-z0-9_-]{1,64}$/.test(rest)
      ? await queue.get(rest)
      : undefined
    if (job === undefined) return fail(request, reply, new AsyncJobNotFoundError(rest === '' ? '(no id)' : JSON.stringify(rest)))
    return reply.code(200).header('cache-control', 'no-store').send(jobView(job))
  }

  const intake = async (request: FastifyRequest, reply: FastifyReply, cfg: RouteAsyncConfig): Promise<FastifyReply> => {
    const key = clientIdempotencyKey(request.headers['idempotency-key'])
    if (key === null) return fail(request, reply, new RequestInvalidError('Idempotency-Key must be 1 to 255 visible ASCII characters'))
    // Same reader as every body (http/raw-body.ts): limit, bodyTimeoutMs, 400/408/413 when broken.
    const body = await readWholeBody(request, settings.maxBodyBytes)
    const { routeId, path, query } = request.routing
    // The headers a synchronous forward would send (one hygiene function), minus what is never stored.
    const stored = storedRequest({ method: request.method, path, query, headers: forwardHeadersOf(request), body }, settings.secretHeaders)
    const credentials = request.headers.authorization ?? (request.headers['x-api-key'] as string | undefined) ?? request.headers.cookie
    const t = now()
    const result = await queue.enqueue({
      routeId,
      method: stored.method,
      target: stored.target,
      headers: stored.headers,
      body: stored.body,
      fingerprint: requestFingerprint(stored),
      ...(key === undefined ? {} : { clientKey: key, idempotencyScope: idempotencyScope(routeId, key, credentials) }),
      maxAttempts: cfg.maxAttempts,
      backoff: cfg.backoff,
      deadlineAt: t + cfg.deadLetterAfter
    })
    if (result.kind === 'mismatch') return fail(request, reply, new AsyncIdempotencyMismatchError(key ?? ''))
    if (result.kind === 'created') opts.onEnqueued?.()
    const location = `${prefix}/${result.job.id}`
    if (result.kind === 'existing') reply.header('idempotent-replayed', 'true')
    return reply.code(202).header('location', location).header('cache-control', 'no-store')
      .send({ jobId: result.job.id, state: result.job.state, location })
  }

  app.addHook('onRequest', async (request, reply) => {
    if (reply.sent || !request.routing || request.routing.target === 'none') return
    try {
      if (isUnderPrefix(request.routing.path, prefix)) return await status(request, reply)
      const cfg = resolveRouteAsync(request.routing.route?.async)
      if (cfg === undefined || request.routing.target !== 'legacy') return
      if (!(ASYNC_METHODS as readonly string[]).includes(request.method)) return
      return await intake(request, reply, cfg)
    } catch (err) {
      if (isCoded(err)) return fail(request, reply, err)
      request.log.error({ err }, 'async intake failed')
      return fail(request, reply, Object.assign(new AsyncQueueWriteError((err as Error).message), { cause: err }))
    }
  })
}

/** The plugin (fastify-plugin wrapped so its hook applies to the catch-all route). */
export function asyncRoutes (options: AsyncRoutesOptions): FastifyPluginAsync {
  return fp(async (app: FastifyInstance) => asyncRoutesImpl(app, options), { name: 'gateway-async-routes', fastify: '5.x' })
}
