// The shadow dispatcher as Fastify hooks on the public instance (registered after the routing hook):
//   onRequest     eligibility (route switch, method, idempotency key, declared size, sampling);
//   preValidation a shadowed request's body is buffered (≤ maxBodyBytes) so it can be sent twice —
//                 before the protection preHandler, so a slow uploader holds no legacy permit;
//   onSend        the client's answer is teed while it streams out (never held back);
//   onResponse    once the client has its answer, the other side is called in the background.
// Shadow calls go through the target's shield at priority class `shadow` (the lowest: queued last,
// shed first) under the route's own `maxConcurrent`. Their sheds count as result `shed` of
// gateway_shadow_comparisons_total, never as client requests or client rejections; their shield
// context is named `shadow:<route>`. Nothing of theirs reaches a client.
import fp from 'fastify-plugin'
import { Readable, Transform } from 'node:stream'
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import type { Dispatcher } from 'undici'
import type {} from '../pipeline/context.js'
import type {} from '../protection/protection-hooks.plugin.js'
import { readBody } from '../http/raw-body.js'
import { forwardContextOf } from '../targets/forward-context.js'
import { LAMBDA_TARGET } from '../targets/lambda-target.js'
import { LEGACY_TARGET } from '../targets/legacy-proxy.js'
import type { RouteConfig } from '../config/schema.js'
import type { ShieldContext } from '../protection/shield.js'
import type { CapturedAnswer } from './compare/compare-responses.js'
import { callLambda, callLegacy, MAX_CAPTURED_ANSWER_BYTES, SHADOW_HEADER } from './shadow-calls.js'
import type { ShadowRequest } from './shadow-calls.js'
import { declaredLength, SHADOW_DEFAULTS, shadowEligibility } from './shadow-eligibility.js'
import { recordOutcome, runShadow, ShadowInflight } from './shadow-run.js'
import type { ShadowRecorder, Side, SideCall } from './shadow-run.js'
import type { ShadowConfig } from './shadow.schema.js'
import { tracedShadowSides } from '../tracing/shadow-spans.js'
import { TRACING_OFF } from '../tracing/tracing.js'
import type { AnswerHead, AnswerObserver } from '../targets/legacy-response-writer.js'

export interface ShadowDispatchOptions {
  /** The legacy pool (the same connections as live traffic; the shield caps both together). */
  legacyDispatcher: Pick<Dispatcher, 'request'>
  recorder: ShadowRecorder
  /** Sampling source; default Math.random. */
  random?: () => number
}

interface Plan {
  settings: ShadowConfig
  route: RouteConfig
  /** The buffered request body (absent when there is none). */
  body?: Buffer
  chunks: Buffer[]
  size: number
  overflow: boolean
  /** The answer's head as a target that wrote it to the socket itself reported it (answerObserver). */
  head?: AnswerHead
}

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * This request's shadow plan (set in onRequest when it is shadowed, else null). A request
     * decorator rather than a WeakMap: no ephemeron per request for the GC to trace.
     */
    shadowPlan: Plan | null
  }
}

function settingsOf (route: RouteConfig): ShadowConfig {
  return (route as RouteConfig & { shadow?: ShadowConfig }).shadow ?? SHADOW_DEFAULTS
}

/** The runtime switch: the admin override (route state service), else the config's default. */
function shadowEnabled (request: FastifyRequest, route: RouteConfig, settings: ShadowConfig): boolean {
  const state = request.server.gateway.routeState.get(route.id) as { shadow?: { enabled?: boolean } } | undefined
  return state?.shadow?.enabled ?? settings.enabled
}

/**
 * For a target that writes its answer straight to the socket (the legacy forwarder: Fastify's
 * onSend never sees it): captures the answer for the comparison as the onSend tee would.
 */
function answerObserver (plan: Plan): AnswerObserver {
  return {
    onAnswerHead: (_status, head) => { plan.head = head },
    onAnswerChunk: (chunk) => { capture(plan, chunk) }
  }
}

function capture (plan: Plan, chunk: Buffer | string): void {
  if (plan.overflow) return
  const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
  plan.size += buf.length
  if (plan.size > MAX_CAPTURED_ANSWER_BYTES) { plan.overflow = true; plan.chunks = []; return }
  plan.chunks.push(buf)
}

/** The targets a route can be shadowed between: its primary is one, the other is called. */
const SIDES: ReadonlySet<string> = new Set<Side>([LEGACY_TARGET, LAMBDA_TARGET])

function shadowRequestOf (request: FastifyRequest, body: Buffer | undefined): ShadowRequest {
  const fwd = forwardContextOf(request)
  fwd.headers[SHADOW_HEADER] = '1'
  return { ...fwd, body }
}

/** The two sides as calls through their shields. */
function sidesFor (app: FastifyInstance, o: ShadowDispatchOptions, route: RouteConfig): Record<Side, SideCall> {
  const ctx = app.gateway
  const lambda = route.lambda
  const protection = app.protection
  // No rate-limit buckets: shadow traffic must not spend tokens live requests need; the legacy
  // permit (lowest class) and the route's own cap are what bound it.
  const shieldCtx = (method: string): ShieldContext => ({ routeId: `shadow:${route.id}`, method, priorityClass: 'shadow', rateLimitScopes: [] })
  const legacyCall: SideCall = (req) => {
    const target = { dispatcher: o.legacyDispatcher, url: ctx.config.legacy.url, timeoutMs: ctx.config.legacy.timeoutMs }
    return protection.legacy.run({ ...shieldCtx(req.method), isFailureResult: (a) => (a as CapturedAnswer).status >= 500 }, (signal) => callLegacy(target, req, signal))
  }
  const lambdaCall: SideCall = (req) => {
    if (lambda === undefined) return Promise.reject(new Error('route has no lambda'))
    const target = {
      invoker: ctx.invoker,
      functionName: lambda.function,
      qualifier: lambda.qualifier,
      context: lambda.context,
      timeoutMs: lambda.timeoutMs,
      stage: ctx.config.stage,
      now: () => ctx.clock.now()
    }
    return protection.lambda(lambda.function, lambda).run(shieldCtx(req.method), (signal) => callLambda(target, req, signal))
  }
  return { [LEGACY_TARGET]: legacyCall, [LAMBDA_TARGET]: lambdaCall }
}

export function shadowDispatch (o: ShadowDispatchOptions): FastifyPluginAsync {
  const random = o.random ?? Math.random
  const inflight = new ShadowInflight()
  return fp(async (app: FastifyInstance) => {
    if (!app.hasRequestDecorator('shadowPlan')) app.decorateRequest('shadowPlan', null)
    if (!app.hasRequestDecorator('answerObserver')) app.decorateRequest('answerObserver', null)
    // Callback-style hooks where the work is synchronous: on a route without shadow they cost a
    // call and a field read each, not a promise and a microtask.
    app.addHook('onRequest', (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction) => {
      const route = request.routing?.route
      // No Lambda side, nothing to compare (eligibility says `no_lambda`): skip its inputs.
      if (route === undefined || route.lambda === undefined || !SIDES.has(request.routing.target)) { done(); return }
      const settings = settingsOf(route)
      const decision = shadowEligibility({
        settings,
        enabled: shadowEnabled(request, route, settings),
        hasLambda: route.lambda !== undefined,
        method: request.method,
        headers: request.headers,
        declaredBodyBytes: declaredLength(request.headers['content-length']),
        random
      })
      if (decision.shadow) {
        const plan: Plan = { settings, route, chunks: [], size: 0, overflow: false }
        request.shadowPlan = plan
        request.answerObserver = answerObserver(plan)
      }
      done()
    })

    app.addHook('preValidation', (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction) => {
      const plan = request.shadowPlan
      if (plan === null || request.body === undefined || request.body === null) { done(); return }
      bufferBody(request, plan).then(() => { done() }, done)
    })

    const bufferBody = async (request: FastifyRequest, plan: Plan): Promise<void> => {
      // Bodies arrive read whole (http/raw-body.ts), so both sides get the same bytes; a stream
      // (a custom parser) is read here. Larger than maxBodyBytes: still served, not shadowed.
      const body = await readBody(request.body, request.server.gateway.config.server.bodyLimitBytes)
      if (!Buffer.isBuffer(request.body)) request.body = Readable.from([body])
      if (body.length > plan.settings.maxBodyBytes) {
        request.shadowPlan = null
        request.answerObserver = null
      } else if (body.length > 0) plan.body = body
    }

    app.addHook('onSend', (request: FastifyRequest, _reply: FastifyReply, payload: unknown, done: (err: Error | null, payload?: unknown) => void) => {
      const plan = request.shadowPlan
      if (plan === null) { done(null, payload); return }
      if (typeof payload === 'string' || Buffer.isBuffer(payload)) { capture(plan, payload); done(null, payload); return }
      if (payload instanceof Readable) {
        // A tee that passes every chunk on as it comes (no 'data' listener: that would start the
        // flow before Fastify pipes the stream to the client and lose chunks).
        const tee = new Transform({ transform (chunk: Buffer, _enc, next) { capture(plan, chunk); next(null, chunk) } })
        payload.on('error', (err) => tee.destroy(err))
        done(null, payload.pipe(tee))
        return
      }
      done(null, payload)
    })

    app.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
      const plan = request.shadowPlan
      if (plan !== null) {
        request.shadowPlan = null
        try {
          dispatchShadow(request, reply, plan)
        } catch (err) {
          done(err as Error)
          return
        }
      }
      done()
    })

    const dispatchShadow = (request: FastifyRequest, reply: FastifyReply, plan: Plan): void => {
      // The primary did not really answer (a gateway-made rejection or error such as a timeout,
      // the client gone): there is no answer to compare, and the request metrics already tell.
      if (request.outcome?.rejection !== undefined || request.outcome?.errorCode !== undefined || !reply.raw.writableFinished) return
      const routeId = plan.route.id
      const primary = request.routing.target as Side
      const primaryAnswer: CapturedAnswer = {
        status: reply.statusCode,
        headers: (plan.head ?? reply.getHeaders()) as CapturedAnswer['headers'],
        body: plan.overflow ? '' : Buffer.concat(plan.chunks, plan.size).toString('utf8')
      }
      const job = {
        routeId,
        settings: plan.settings,
        primary,
        primaryAnswer,
        request: shadowRequestOf(request, plan.body),
        url: request.routing.path + (request.routing.query === '' ? '' : `?${request.routing.query}`)
      }
      if (plan.overflow) {
        o.recorder.onError?.(routeId, new Error(`client answer larger than ${MAX_CAPTURED_ANSWER_BYTES} bytes: not compared`))
        recordOutcome(o.recorder, routeId, 'error')
        return
      }
      if (!inflight.tryEnter(routeId, plan.settings.maxConcurrent)) {
        recordOutcome(o.recorder, routeId, 'shed')
        return
      }
      // Detached: the client already has its answer and this hook must not wait for the shadow.
      const ctx = request.server.gateway
      const sides = tracedShadowSides(request.server.tracing ?? TRACING_OFF, sidesFor(request.server, o, plan.route), request.traceContext,
        { route: plan.route, legacyUrl: ctx.config.legacy.url, region: ctx.config.lambda.region })
      runShadow(job, sides, o.recorder).finally(() => inflight.leave(routeId)).catch(() => {})
    }
  }, { name: 'gateway-shadow-dispatch', fastify: '5.x' })
}
