// One upstream's bodyguard: rate limits -> concurrency permit (priority queue) -> breaker(s)
// -> the call, with the permit released however the call ends. Optional retries (idempotent
// methods, budgeted, jittered) go back through the queue as priority class `retry`.
// Every rejection is reported once through `onReject(routeId, reason)`; in-flight changes
// through the limiter's onChange (bound to `onInflight(upstream, n)` by the factories).
import type { BreakerOptions, BreakerRegistry } from './breaker-registry.js'
import { isBreakerFailure } from './breaker-registry.js'
import type { AbortLike, PriorityClass } from './concurrency-limiter.js'
import type { RateLimitCheck, RateLimitDecision, RateLimitRule, RateLimitScope, RateLimiter } from './rate-limiter.js'
import type { PermitLimiter } from './concurrency-limiter.port.js'
import type { AsyncRateLimiter } from './rate-limiter.port.js'
import { isAbortError, isProtectionRejection, rejections } from './rejection.js'
import type { RejectionReason } from './rejection.js'
import type { RetryBudget } from './retry-budget.js'
import { backoffDelayMs, shouldRetry } from './retry-policy.js'
import type { RetryConfig } from './retry-policy.js'

export interface ShieldContext {
  routeId: string
  method: string
  /** Default 'live'; a retry is queued as 'retry', shadow traffic passes 'shadow'. */
  priorityClass?: PriorityClass
  /** Route priority (route.priority), higher first. */
  priority?: number
  /** From client-key.ts; without it no per-client bucket applies. */
  clientKey?: string
  /** route.rateLimit */
  routeRateLimit?: RateLimitRule
  /** route.breaker: a per-route breaker nested inside the upstream's. */
  routeBreaker?: BreakerOptions
  /** Rate-limit scopes to apply; default all. A fallback to legacy passes ['global']. */
  rateLimitScopes?: readonly RateLimitScope[]
  /** Client gone: leave the queue, abort the call, stop retrying. */
  signal?: AbortSignal
  /**
   * For enter() only, instead of `signal`: a cheaper stand-in with the same shape (the
   * protection hooks' per-request object fed by the connection's 'close'; no AbortController).
   */
  clientGone?: AbortLike
  /** Receives the RateLimit-* headers of an admitted request. */
  setHeader?: (name: string, value: string) => void
  /** A resolved value that is a failure for the breaker (e.g. a 5xx passed through); still returned. */
  isFailureResult?: (value: unknown) => boolean
}

export interface ShieldHooks {
  onReject?: (routeId: string, reason: RejectionReason) => void
  onInflight?: (upstream: string, inflight: number) => void
}

export interface ShieldOptions {
  /** Upstream label: `legacy`, `lambda:Users-DEV`. Also the breaker name. */
  name: string
  /** The in-process ConcurrencyLimiter, or a shared one (distributed RedisSemaphore). */
  limiter: PermitLimiter
  breakers: BreakerRegistry
  breaker: BreakerOptions
  rateLimiter: RateLimiter
  /** Distributed mode: shared buckets (one Redis round trip); admit() then returns a promise. */
  asyncRateLimiter?: AsyncRateLimiter
  globalRateLimit?: RateLimitRule
  clientRateLimit?: RateLimitRule
  retry?: { config: RetryConfig, budget: RetryBudget, random?: () => number }
  /** Turns target errors into rejections where they mean "shed" (Lambda throttle). */
  classifyError?: (err: unknown) => unknown
  hooks?: ShieldHooks
}

export interface ShieldLease {
  /** No argument = success; else the outcome (5xx error, abort, throttle) for the breaker. Idempotent. */
  finish: (error?: unknown) => void
  /**
   * An upstream call is under way on this permit. Until the returned `end` is called (once the
   * upstream answered, failed or timed out) the permit stays taken even if `finish` came first,
   * e.g. from a client that hung up: the upstream keeps working on a call whose caller left, so
   * freeing its permit then would let the upstream see more than the cap. `end(err)` reports the
   * upstream's own failure, which the breaker gets instead of a client abort.
   */
  hold: () => (upstreamError?: unknown) => void
}

const noop = (): void => {}

/** Carries a failure result through the breaker so it counts, then hands it back. */
class FailureResult {
  constructor (readonly value: unknown) {}
}

const abortableSleep = (ms: number, signal?: AbortSignal): Promise<void> => new Promise((resolve, reject) => {
  if (signal?.aborted) { reject(signal.reason); return }
  const timer = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve() }, ms)
  const onAbort = (): void => { clearTimeout(timer); reject(signal?.reason) }
  signal?.addEventListener('abort', onAbort, { once: true })
})

export class Shield {
  readonly name: string
  readonly #o: ShieldOptions

  constructor (options: ShieldOptions) {
    this.name = options.name
    this.#o = options
  }

  get limiter (): PermitLimiter { return this.#o.limiter }

  /** A config reload: new global/client rules apply from the next request (bucket fill is kept). */
  updateRateLimits (rules: { globalRateLimit?: RateLimitRule, clientRateLimit?: RateLimitRule }): void {
    this.#o.globalRateLimit = rules.globalRateLimit
    this.#o.clientRateLimit = rules.clientRateLimit
  }

  routeBreakerName (routeId: string): string { return `${this.name}:route:${routeId}` }

  async run<T> (ctx: ShieldContext, fn: (signal?: AbortSignal) => Promise<T>): Promise<T> {
    await this.admit(ctx)
    const retry = this.#o.retry
    if (!retry?.config.enabled) return this.#attempt(ctx, fn, ctx.priorityClass ?? 'live')

    const endRequest = retry.budget.startRequest()
    let lastErr: unknown
    try {
      for (let attempt = 1; ; attempt++) {
        let endRetry: (() => void) | null = null
        if (attempt > 1) {
          await abortableSleep(backoffDelayMs(retry.config, attempt - 1, retry.random), ctx.signal)
          // Never retry into an open breaker; a spent budget also ends it: the client gets the original failure.
          if (this.#openBreaker(ctx)) throw lastErr
          endRetry = retry.budget.tryStartRetry()
          if (!endRetry) throw lastErr
        }
        try {
          return await this.#attempt(ctx, fn, attempt === 1 ? (ctx.priorityClass ?? 'live') : 'retry')
        } catch (err) {
          if (!shouldRetry(retry.config, ctx.method, attempt, err)) throw err
          lastErr = err
        } finally {
          endRetry?.()
        }
      }
    } finally {
      endRequest()
    }
  }

  /**
   * Steps 1-2 on their own (a Fastify onRequest hook, before the body is read): rate limits,
   * then fail fast on an open breaker. Throws a reported rejection. Synchronous with the
   * in-process limiter; with a shared (async) one it returns a promise that rejects instead.
   */
  admit (ctx: ShieldContext): void | Promise<void> {
    const checks = this.#rateChecks(ctx)
    if (checks.length > 0 && this.#o.asyncRateLimiter) {
      return this.#o.asyncRateLimiter.check(checks).then(decision => {
        this.#applyRateDecision(ctx, decision)
        this.#checkBreakersOpen(ctx)
      })
    }
    if (checks.length > 0) this.#applyRateDecision(ctx, this.#o.rateLimiter.check(checks))
    this.#checkBreakersOpen(ctx)
  }

  /**
   * Steps 3-4 for callers that cannot wrap the call in a function (hooks around a streamed
   * proxy): waits for a permit and the breaker's admission (one probe when half-open). The
   * lease must be finished when the response is done — `finish()` for success, `finish(err)`
   * with the outcome otherwise; finishing is idempotent and releases the permit (once every
   * `hold()` of an upstream call under way has ended).
   */
  async enter (ctx: ShieldContext, priorityClass: PriorityClass = ctx.priorityClass ?? 'live'): Promise<ShieldLease> {
    let release
    try {
      release = await this.#o.limiter.acquire({ priorityClass, priority: ctx.priority, signal: ctx.clientGone ?? ctx.signal })
    } catch (err) {
      this.#rejected(ctx, err)
      throw err
    }
    let settle: (err?: unknown) => void = () => {}
    const outcome = new Promise<void>((resolve, reject) => {
      settle = (err) => { if (err === undefined) resolve(); else reject(err) }
    })
    // opossum calls the action synchronously when it admits the call, so `admitted` is known
    // as soon as run() returns its promise.
    let admitted = false
    const action = (): Promise<void> => { admitted = true; return outcome }
    const { breakers } = this.#o
    const inner = ctx.routeBreaker ? () => breakers.run(this.routeBreakerName(ctx.routeId), action, ctx.routeBreaker) : action
    const running = breakers.run(this.name, inner, this.#o.breaker)
    running.catch(() => {}) // the outcome is reported through finish(), not through this promise
    if (!admitted) {
      release()
      try {
        await running
      } catch (err) {
        this.#rejected(ctx, err)
        throw err
      }
    }
    let done = false
    let holds = 0
    let finished: { error: unknown } | undefined
    let upstreamError: unknown
    const complete = (error: unknown): void => {
      done = true
      const err = error === undefined ? undefined : (this.#o.classifyError ? this.#o.classifyError(error) : error)
      settle(err)
      const throttled = isProtectionRejection(err) && err.reason === 'throttled'
      release({ dropped: err !== undefined && (isBreakerFailure(err) || throttled) })
    }
    // A client abort says nothing about the upstream: what the upstream call itself ended with wins.
    const finalOutcome = (): unknown => isAbortError(finished?.error) && upstreamError !== undefined ? upstreamError : finished?.error
    return {
      finish: (error?: unknown) => {
        if (done || finished) return
        finished = { error }
        if (holds === 0) complete(error)
      },
      hold: () => {
        if (done) return noop
        holds++
        let ended = false
        return (error?: unknown) => {
          if (ended) return
          ended = true
          holds--
          if (error !== undefined) upstreamError = error
          if (holds === 0 && finished && !done) complete(finalOutcome())
        }
      }
    }
  }

  #rejected (ctx: ShieldContext, err: unknown): void {
    if (isProtectionRejection(err)) this.#o.hooks?.onReject?.(ctx.routeId, err.reason)
  }

  #rateChecks (ctx: ShieldContext): RateLimitCheck[] {
    const scopes = ctx.rateLimitScopes
    const wants = (s: RateLimitScope): boolean => !scopes || scopes.includes(s)
    const checks: RateLimitCheck[] = []
    if (this.#o.globalRateLimit && wants('global')) checks.push({ scope: 'global', key: this.name, rule: this.#o.globalRateLimit })
    if (ctx.routeRateLimit && wants('route')) checks.push({ scope: 'route', key: ctx.routeId, rule: ctx.routeRateLimit })
    if (this.#o.clientRateLimit && ctx.clientKey && wants('client')) {
      checks.push({ scope: 'client', key: ctx.clientKey, rule: this.#o.clientRateLimit })
    }
    return checks
  }

  #applyRateDecision (ctx: ShieldContext, decision: RateLimitDecision): void {
    if (!decision.allowed) {
      const err = rejections.rateLimited(decision.scope ?? 'global', decision.retryAfterSeconds, decision.headers)
      this.#rejected(ctx, err)
      throw err
    }
    for (const [name, value] of Object.entries(decision.headers)) ctx.setHeader?.(name, value)
  }

  #openBreaker (ctx: ShieldContext): string | undefined {
    const { breakers } = this.#o
    const names = ctx.routeBreaker ? [this.name, this.routeBreakerName(ctx.routeId)] : [this.name]
    return names.find(name => breakers.state(name) === 'open')
  }

  /** Fails fast before queueing; a half-open breaker is let through to the probe logic. */
  #checkBreakersOpen (ctx: ShieldContext): void {
    const name = this.#openBreaker(ctx)
    if (name) {
      const err = rejections.breakerOpen(name, this.#o.breakers.retryAfterSeconds(name))
      this.#rejected(ctx, err)
      throw err
    }
  }

  async #attempt<T> (ctx: ShieldContext, fn: (signal?: AbortSignal) => Promise<T>, priorityClass: PriorityClass): Promise<T> {
    let release
    try {
      release = await this.#o.limiter.acquire({ priorityClass, priority: ctx.priority, signal: ctx.signal })
    } catch (err) {
      this.#rejected(ctx, err)
      throw err
    }
    let dropped = false
    try {
      const call = async (): Promise<T> => {
        let value: T
        try {
          value = await fn(ctx.signal)
        } catch (err) {
          throw this.#o.classifyError ? this.#o.classifyError(err) : err
        }
        if (ctx.isFailureResult?.(value)) throw new FailureResult(value)
        return value
      }
      const { breakers } = this.#o
      const inner = ctx.routeBreaker
        ? () => breakers.run(this.routeBreakerName(ctx.routeId), call, ctx.routeBreaker)
        : call
      return await breakers.run(this.name, inner, this.#o.breaker)
    } catch (err) {
      if (err instanceof FailureResult) {
        dropped = true
        return err.value as T
      }
      dropped = isBreakerFailure(err) || (isProtectionRejection(err) && err.reason === 'throttled')
      this.#rejected(ctx, err)
      throw err
    } finally {
      release({ dropped })
    }
  }
}
