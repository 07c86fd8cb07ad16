// One upstream's bodyguard: rate limits -> concurrency permit (priority queue) -> breaker(s)
// -> the call, with the permit released however the call ends. Optional retries (idempotent
// methods, budgeted, jittered; shield-retry.ts) go back through the queue as priority class
// `retry`. Three entry paths share one copy of each step: admit() (rate limits + open breaker),
// enter() (permit + breaker admission, for streamed calls; shield-lease.ts) and run() (all of it
// around a function). Every rejection is reported once through `onReject(routeId, reason)`;
// in-flight changes through the limiter's onChange (bound to `onInflight(upstream, n)` by the
// factories).
import type { BreakerTicket } from './breaker-registry.js'
import type { AbortLike, AcquireOptions, PriorityClass, Release } from './concurrency-limiter.js'
import type { PermitLimiter } from './concurrency-limiter.port.js'
import { bucketId, rateLimitCheck } from './rate-limiter.js'
import type { RateLimitCheck, RateLimitDecision, RateLimitRule } from './rate-limiter.js'
import { isProtectionRejection, rejections } from './rejection.js'
import { BreakerLease, dropsPermit } from './shield-lease.js'
import { withRetries } from './shield-retry.js'
import type { ShieldContext, ShieldLease, ShieldOptions } from './shield-types.js'

export type { ShieldContext, ShieldHooks, ShieldLease, ShieldOptions } from './shield-types.js'

/** The per-client check the sync path refills per request (its id follows its key). */
type ReusedCheck = { -readonly [K in keyof RateLimitCheck]-?: RateLimitCheck[K] }

/** Carries a failure result through the breaker so it counts, then hands it back. */
class FailureResult {
  constructor (readonly value: unknown) {}
}

export class Shield {
  readonly name: string
  readonly #o: ShieldOptions
  // The rate checks are built once, not per request: the global one per rule (rebuilt by
  // updateRateLimits), a route's one per route id while its rule object is the same (a reload
  // brings new route objects). The sync limiter reads the checks of one request at once, so
  // one array and one client check are refilled per request; the async one gets fresh ones.
  #globalCheck: RateLimitCheck | undefined
  readonly #routeChecks = new Map<string, RateLimitCheck>()
  readonly #checks: RateLimitCheck[] = []
  readonly #clientCheck: ReusedCheck = { scope: 'client', key: '', rule: { perSecond: 0, burst: 0 }, id: bucketId('client', '') }
  readonly #routeBreakerNames = new Map<string, string>()

  constructor (options: ShieldOptions) {
    this.name = options.name
    this.#o = options
    this.#globalCheck = options.globalRateLimit && rateLimitCheck('global', options.name, options.globalRateLimit)
  }

  get limiter (): PermitLimiter { return this.#o.limiter }

  /** A config reload: new global/client rules apply from the next request (bucket fill is kept). */
  updateRateLimits (rules: { globalRateLimit?: RateLimitRule, clientRateLimit?: RateLimitRule }): void {
    this.#o.globalRateLimit = rules.globalRateLimit
    this.#o.clientRateLimit = rules.clientRateLimit
    this.#globalCheck = rules.globalRateLimit && rateLimitCheck('global', this.name, rules.globalRateLimit)
  }

  routeBreakerName (routeId: string): string {
    // Cached: a fresh concatenation per request would be flattened and hashed again by every
    // breaker lookup. Route ids come from the config, so the map stays as small as the routes.
    let name = this.#routeBreakerNames.get(routeId)
    if (name === undefined) {
      name = `${this.name}:route:${routeId}`
      this.#routeBreakerNames.set(routeId, name)
    }
    return name
  }

  async run<T> (ctx: ShieldContext, fn: (signal?: AbortSignal) => Promise<T>): Promise<T> {
    await this.admit(ctx)
    const firstClass = ctx.priorityClass ?? 'live'
    const retry = this.#o.retry
    if (!retry?.config.enabled) return this.#attempt(ctx, fn, firstClass)
    return withRetries(retry, {
      method: ctx.method,
      firstClass,
      signal: ctx.signal,
      breakerOpen: () => this.#openBreaker(ctx) !== undefined,
      attempt: priorityClass => this.#attempt(ctx, fn, priorityClass)
    })
  }

  /**
   * Steps 1-2 on their own (a Fastify onRequest hook, before the body is read): rate limits,
   * then fail fast on an open breaker. Throws a reported rejection. Synchronous with the
   * in-process limiter; with a shared (async) one it returns a promise that rejects instead.
   */
  admit (ctx: ShieldContext): void | Promise<void> {
    const shared = this.#o.asyncRateLimiter
    if (shared !== undefined) {
      // The shared limiter reads the checks again after its round trip: they must be this request's own.
      const checks = this.#rateChecks(ctx, [], undefined)
      if (checks.length === 0) { this.#checkBreakersOpen(ctx); return }
      return shared.check(checks).then((decision) => {
        this.#applyRateDecision(ctx, decision)
        this.#checkBreakersOpen(ctx)
      })
    }
    const checks = this.#rateChecks(ctx, this.#checks, this.#clientCheck)
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
    let release: Release
    try { release = await this.#o.limiter.acquire(this.#permitRequest(ctx, priorityClass, ctx.clientGone ?? ctx.signal)) } catch (err) { throw this.#reported(ctx, err) }
    const entered = this.#onPermit(ctx, release)
    if (entered instanceof BreakerLease) return entered
    throw this.#reported(ctx, entered)
  }

  /**
   * enter() without a promise when nothing has to wait: a permit is free at once (a limiter
   * with tryAcquire) and every breaker on the way is closed, so it admits the call. Undefined =
   * nothing taken: use enter() (a queue wait, an open or half-open breaker, the shared
   * semaphore, a client already gone).
   */
  tryEnter (ctx: ShieldContext, priorityClass: PriorityClass = ctx.priorityClass ?? 'live'): ShieldLease | undefined {
    const { breakers, limiter } = this.#o
    if (limiter.tryAcquire === undefined || breakers.state(this.name) !== 'closed') return undefined
    if (ctx.routeBreaker && breakers.state(this.routeBreakerName(ctx.routeId)) !== 'closed') return undefined
    const release = limiter.tryAcquire(this.#permitRequest(ctx, priorityClass, ctx.clientGone ?? ctx.signal))
    if (release === undefined) return undefined
    const entered = this.#onPermit(ctx, release)
    // A closed breaker always admits, so a refusal is not reached here; should it be, the permit
    // is back and enter() asks the breakers again.
    return entered instanceof BreakerLease ? entered : undefined
  }

  /**
   * Breaker admission on a permit held, synchronously: the upstream's breaker, then the route's
   * (the call nested in both). The lease, or the breakerOpen rejection with the permit given
   * back (open, or half-open with its probe already out). A route breaker's refusal ends the
   * upstream's ticket with that rejection, which is no failure (what the nested call did).
   */
  #onPermit (ctx: ShieldContext, release: Release): BreakerLease | Error {
    const { breakers } = this.#o
    const upstream = breakers.admit(this.name, this.#o.breaker)
    if (upstream === undefined) {
      release()
      return rejections.breakerOpen(this.name, breakers.retryAfterSeconds(this.name))
    }
    let route: BreakerTicket | undefined
    if (ctx.routeBreaker) {
      const routeName = this.routeBreakerName(ctx.routeId)
      route = breakers.admit(routeName, ctx.routeBreaker)
      if (route === undefined) {
        const refused = rejections.breakerOpen(routeName, breakers.retryAfterSeconds(routeName))
        upstream.end(refused)
        release()
        return refused
      }
    }
    return new BreakerLease(release, upstream, route, this.#o.classifyError)
  }

  #permitRequest (ctx: ShieldContext, priorityClass: PriorityClass, signal: AbortLike | undefined): AcquireOptions {
    return { priorityClass, priority: ctx.priority, signal }
  }

  /** The call inside the route's breaker (when it has one) inside the upstream's. */
  #throughBreakers<T> (ctx: ShieldContext, action: () => Promise<T>): Promise<T> {
    const { breakers } = this.#o
    const inner = ctx.routeBreaker ? () => breakers.run(this.routeBreakerName(ctx.routeId), action, ctx.routeBreaker) : action
    return breakers.run(this.name, inner, this.#o.breaker)
  }

  #classify (err: unknown): unknown { return this.#o.classifyError ? this.#o.classifyError(err) : err }

  /** Reports a rejection once (onReject) and hands the error back to be thrown. */
  #reported (ctx: ShieldContext, err: unknown): unknown {
    if (isProtectionRejection(err)) this.#o.hooks?.onReject?.(ctx.routeId, err.reason)
    return err
  }

  /**
   * The request's checks, filled into `into` (emptied first). `client`: a check to reuse for the
   * per-client bucket (sync limiter only); undefined = a new one.
   */
  #rateChecks (ctx: ShieldContext, into: RateLimitCheck[], client: ReusedCheck | undefined): RateLimitCheck[] {
    const scopes = ctx.rateLimitScopes
    into.length = 0
    const global = this.#globalCheck
    if (global !== undefined && (!scopes || scopes.includes('global'))) into.push(global)
    const routeRule = ctx.routeRateLimit
    if (routeRule && (!scopes || scopes.includes('route'))) into.push(this.#routeCheck(ctx.routeId, routeRule))
    const clientRule = this.#o.clientRateLimit
    const clientKey = ctx.clientKey
    if (clientRule && clientKey && (!scopes || scopes.includes('client'))) {
      if (client === undefined) {
        into.push({ scope: 'client', key: clientKey, rule: clientRule })
      } else {
        // The same key as last time (the protection hooks reuse a connection's key): its id too.
        if (client.key !== clientKey) {
          client.key = clientKey
          client.id = bucketId('client', clientKey)
        }
        client.rule = clientRule
        into.push(client)
      }
    }
    return into
  }

  #routeCheck (routeId: string, rule: RateLimitRule): RateLimitCheck {
    const known = this.#routeChecks.get(routeId)
    if (known !== undefined && known.rule === rule) return known
    const check = rateLimitCheck('route', routeId, rule)
    this.#routeChecks.set(routeId, check)
    return check
  }

  #applyRateDecision (ctx: ShieldContext, decision: RateLimitDecision): void {
    if (!decision.allowed) {
      throw this.#reported(ctx, rejections.rateLimited(decision.scope ?? 'global', decision.retryAfterSeconds, decision.headers))
    }
    if (ctx.setHeader === undefined) return
    const headers = decision.headers
    // for…in, not Object.entries: no array of pairs per request.
    for (const name in headers) ctx.setHeader(name, headers[name] as string)
  }

  #openBreaker (ctx: ShieldContext): string | undefined {
    const { breakers } = this.#o
    if (breakers.state(this.name) === 'open') return this.name
    if (!ctx.routeBreaker) return undefined
    const route = this.routeBreakerName(ctx.routeId)
    return breakers.state(route) === 'open' ? route : undefined
  }

  /** Fails fast before queueing; a half-open breaker is let through to the probe logic. */
  #checkBreakersOpen (ctx: ShieldContext): void {
    const name = this.#openBreaker(ctx)
    if (name) throw this.#reported(ctx, rejections.breakerOpen(name, this.#o.breakers.retryAfterSeconds(name)))
  }

  async #attempt<T> (ctx: ShieldContext, fn: (signal?: AbortSignal) => Promise<T>, priorityClass: PriorityClass): Promise<T> {
    let release: Release
    try { release = await this.#o.limiter.acquire(this.#permitRequest(ctx, priorityClass, ctx.signal)) } catch (err) { throw this.#reported(ctx, err) }
    let dropped = false
    try {
      return await this.#throughBreakers(ctx, async (): Promise<T> => {
        let value: T
        try {
          value = await fn(ctx.signal)
        } catch (err) {
          throw this.#classify(err)
        }
        if (ctx.isFailureResult?.(value)) throw new FailureResult(value)
        return value
      })
    } catch (err) {
      if (err instanceof FailureResult) {
        dropped = true
        return err.value as T
      }
      dropped = dropsPermit(err)
      throw this.#reported(ctx, err)
    } finally {
      release({ dropped })
    }
  }
}
