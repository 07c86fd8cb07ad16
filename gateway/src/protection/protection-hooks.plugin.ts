// The protection layer as Fastify hooks around the app's streamed targets: the `protection`
// stage of the pipeline (pipeline/pipeline.ts; after the async intake, before the forward stage):
//   onRequest  (before the body is read) rate limits + open-breaker fast fail;
//   preHandler (body read: a slow uploader holds no permit) concurrency permit + breaker admission;
//   onResponse / connection close: the outcome goes to the breaker and the permit is released.
// Rejections are thrown as typed errors: the app's error handler answers problem+json with
// Retry-After and records `request.outcome.rejection` (counted once by the request log hook).
// A Lambda route with `fallback: legacy` whose function cannot take the request now (breaker
// open, gateway-side shed) is switched to legacy, through legacy's own shield, and marked.
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { TargetName } from '../pipeline/context.js'
import { LambdaThrottledError } from '../errors.js'
import { ClientGone, clientGoneError, isReplyCut } from '../http/client-gone.js'
import { fallbackReason } from './fallback.js'
import { classifyLambdaError } from './lambda-throttle.js'
import type { FallbackRoute } from './fallback.js'
import { Protection } from './protection.js'
import type { LegacyProtectionInput, ProtectionDeps } from './protection.js'
import type { LambdaProtectionSettings, RateLimitSettings, BreakerSettings } from './protection.schema.js'
import type { Shield, ShieldLease } from './shield.js'
import { RequestShieldContext } from './request-shield-context.js'
import { isProtectionRejection } from './rejection.js'
import { permitOutcome, startPermitWait } from '../tracing/upstream-spans.js'
import { registerUpstreamGauges } from './upstream-gauges.js'

/** The protection fields of a route (the config schema spreads routeProtectionProperties in). */
interface ProtectedRoute extends FallbackRoute {
  priority?: number
  rateLimit?: RateLimitSettings
  breaker?: BreakerSettings
  lambda?: LambdaProtectionSettings & { function: string }
}

interface Plan {
  shield: Shield
  ctx: RequestShieldContext
  functionName?: string
  lease?: ShieldLease
}

export interface ProtectionHooksOptions {
  /** Prebuilt instance; default: built from `app.gateway.config.legacy`, breaker gauge bound. */
  protection?: Protection
  /** Extra deps of the built instance (distributed mode: shared legacy permits and buckets). */
  deps?: Pick<ProtectionDeps, 'legacyLimiter' | 'asyncRateLimiter'>
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The shields, breakers and rate limiter (decorated by protectionHooks; breakers closed on close). */
    protection: Protection
  }
  interface FastifyRequest {
    /**
     * The protection plan of this request (set in onRequest; null when unprotected). A request
     * decorator rather than a WeakMap: no ephemeron per request for the GC to trace.
     * Read through holdPermit / fallbackAfterLambdaError.
     */
    protectionPlan: Plan | null
  }
}

function plan (protection: Protection, request: FastifyRequest, reply: FastifyReply): Plan {
  const routing = request.routing
  const gone = new ClientGone()
  // One listener per request: a client gone aborts a queue wait and finishes the lease of the
  // request's current plan (a fallback plan replaces the first one). `on`, not `once`: a
  // response emits 'close' once, and once() would wrap the listener in two more objects.
  const raw = reply.raw
  raw.on('close', () => {
    if (raw.writableFinished) return
    gone.abort(clientGoneError())
    request.protectionPlan?.lease?.finish(clientGoneError())
  })
  // The request itself is the client key's input (headers, ip): no object built for it.
  const ctx = new RequestShieldContext(reply, routing.routeId, request.method, routing.route as ProtectedRoute | undefined,
    protection.clientKeyOf(request), gone)
  const { shield, functionName } = request.server.gateway.targets.get(routing.target).shieldOf(protection, routing.route)
  return functionName === undefined ? { shield, ctx } : { shield, ctx, functionName }
}

/** Switches a Lambda request to the route's `fallback` target (legacy) when it allows it; null = no fallback. */
async function fallbackPlan (app: FastifyInstance, protection: Protection, request: FastifyRequest, reply: FastifyReply,
  current: Plan, err: unknown): Promise<Plan | null> {
  const route = (request.routing.route ?? {}) as ProtectedRoute
  const reason = fallbackReason(route, request.method, err)
  if (!reason || route.fallback === undefined) return null
  const to = app.gateway.targets.get(route.fallback)
  const shield = to.shieldOf(protection, request.routing.route).shield
  if (current.shield === shield) return null
  request.routing.target = to.name as TargetName
  request.outcome.fallback = reason
  if (app.gateway.config.server.exposeRoutingHeaders) {
    reply.header('x-gateway-target', to.name)
    reply.header('x-gateway-fallback', reason)
  }
  request.log.info({ route: request.routing.routeId, fallback: reason, function: current.functionName }, 'lambda unavailable: falling back to legacy')
  // The route and client buckets were already charged on the Lambda side; legacy's global one still applies.
  const next: Plan = { shield, ctx: current.ctx.forFallback() }
  await next.shield.admit(next.ctx)
  return next
}

/** What the response means for the breaker: undefined = success. */
function outcomeOf (request: FastifyRequest, reply: FastifyReply, p: Plan): unknown {
  if (request.outcome?.errorCode === 'GW_ERR_LAMBDA_THROTTLED') return new LambdaThrottledError(p.functionName ?? 'unknown')
  if (reply.statusCode >= 500) {
    return Object.assign(new Error(`upstream answered ${reply.statusCode}`), { statusCode: reply.statusCode, code: request.outcome?.errorCode })
  }
  return undefined
}

// A client gone finishes the lease at once (a client abort is no breaker failure), but the
// permit stays taken while an upstream call holds it (holdPermit): the upstream still works.
// The plan's 'close' listener (plan()) finishes a lease it finds; this covers a client that
// left while the lease was being granted (the listener found none).
function finishOnClientGone (reply: FastifyReply, lease: ShieldLease): void {
  if (isReplyCut(reply)) lease.finish(clientGoneError())
}

const noHold = (): void => {}

/**
 * Permits.hold (targets/target.port.ts), for targets at dispatch: keeps the request's permit taken until the returned `end` is
 * called when the upstream call ended, even if the client left first. `end(err)` hands the
 * upstream's own failure to the breaker. No lease (unprotected request): a no-op.
 */
export function holdPermit (request: FastifyRequest): (upstreamError?: unknown) => void {
  return request.protectionPlan?.lease?.hold() ?? noHold
}

/**
 * Permits.fallback (targets/target.port.ts), for the Lambda target's catch: after the Lambda failed (a throttle), decide whether the route
 * falls back to legacy. If so the Lambda lease is finished with that outcome, the request goes
 * through legacy's shield (global bucket, permit, breaker; may throw a rejection) and is marked;
 * the caller then forwards to legacy. False = no fallback: rethrow the original error.
 */
export async function fallbackAfterLambdaError (request: FastifyRequest, reply: FastifyReply, err: unknown): Promise<boolean> {
  const p = request.protectionPlan
  const app = request.server
  if (!p) return false
  const classified = classifyLambdaError(err)
  p.lease?.finish(classified)
  const next = await fallbackPlan(app, app.protection, request, reply, p, classified)
  if (!next) return false
  request.protectionPlan = next
  next.lease = await next.shield.enter(next.ctx)
  finishOnClientGone(reply, next.lease)
  return true
}

export function protectionHooks (options: ProtectionHooksOptions = {}): FastifyPluginAsync {
  return fp(async (app: FastifyInstance) => {
    const gateway = app.gateway
    const protection = options.protection ?? new Protection(gateway.config.legacy as LegacyProtectionInput, {
      ...options.deps,
      logger: app.log,
      hooks: { onBreakerState: (breaker, value) => gateway.metrics.breakerState.set({ breaker }, value) }
    })
    app.decorate('protection', protection)
    registerUpstreamGauges(gateway.metrics.registry, () => protection.shields())

    if (!app.hasRequestDecorator('protectionPlan')) app.decorateRequest('protectionPlan', null)

    const admitAfterRejection = async (request: FastifyRequest, reply: FastifyReply, p: Plan, err: unknown): Promise<void> => {
      const fb = await fallbackPlan(app, protection, request, reply, p, err)
      if (!fb) throw err
      request.protectionPlan = fb
    }

    // Callback style where the work is synchronous (in-process limits): an async hook costs a
    // promise and a microtask per request even when nothing waits.
    app.addHook('onRequest', (request, reply, done) => {
      if (reply.sent || !request.routing || request.routing.target === 'none') { done(); return }
      const p = plan(protection, request, reply)
      let admitted: void | Promise<void>
      try {
        admitted = p.shield.admit(p.ctx)
      } catch (err) {
        admitAfterRejection(request, reply, p, err).then(() => { done() }, done)
        return
      }
      if (admitted === undefined) {
        request.protectionPlan = p
        done()
        return
      }
      admitted.then(() => { request.protectionPlan = p }, (err: unknown) => admitAfterRejection(request, reply, p, err))
        .then(() => { done() }, done)
    })

    const enterAfterRejection = async (request: FastifyRequest, reply: FastifyReply, p: Plan, err: unknown): Promise<void> => {
      const fb = await fallbackPlan(app, protection, request, reply, p, err)
      if (!fb) throw err
      request.protectionPlan = fb
      fb.lease = await fb.shield.enter(fb.ctx)
      finishOnClientGone(reply, fb.lease)
    }

    // A free permit and closed breakers: the lease at once (tryEnter), no promise. Otherwise
    // callback style too: enter() is a promise anyway, an async hook would add a second one.
    app.addHook('preHandler', (request, reply, done) => {
      const p = request.protectionPlan
      if (!p) { done(); return }
      // The permit as a span (tracing on: granted at once shows as a wait of ~0 ms).
      const wait = startPermitWait(request, p.functionName)
      const now = p.shield.tryEnter(p.ctx)
      if (now !== undefined) {
        wait.end(permitOutcome(undefined))
        p.lease = now
        finishOnClientGone(reply, now)
        done()
        return
      }
      p.shield.enter(p.ctx).then((lease) => {
        wait.end(permitOutcome(undefined))
        p.lease = lease
        finishOnClientGone(reply, lease)
        done()
      }, (err: unknown) => {
        wait.end(permitOutcome(isProtectionRejection(err) ? err.reason : 'error'))
        enterAfterRejection(request, reply, p, err).then(() => { done() }, done)
      })
    })

    app.addHook('onResponse', (request, reply, done) => {
      const p = request.protectionPlan
      p?.lease?.finish(outcomeOf(request, reply, p))
      done()
    })

    app.addHook('onClose', async () => { protection.close() })
  }, { name: 'gateway-protection-hooks', fastify: '5.x' })
}
