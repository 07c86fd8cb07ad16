// One request's ShieldContext as the protection hooks build it (protection-hooks.plugin.ts).
// A class rather than an object literal with a closure: setHeader is a method on the prototype
// (Shield calls it as ctx.setHeader(…), so `this` is the context), so a request costs one object
// here instead of an object and a function, and every context has the same shape.
import type { FastifyReply } from 'fastify'
import type { ClientGone } from '../http/client-gone.js'
import type { BreakerOptions } from './breaker-registry.js'
import type { RateLimitRule, RateLimitScope } from './rate-limiter.js'
import type { ShieldContext } from './shield-types.js'

/** The protection fields of a route the context reads (the config schema spreads them in). */
export interface RouteProtectionFields {
  priority?: number
  rateLimit?: RateLimitRule
  breaker?: BreakerOptions
}

export class RequestShieldContext implements ShieldContext {
  readonly routeId: string
  readonly method: string
  readonly priority: number | undefined
  readonly clientKey: string | undefined
  readonly routeRateLimit: RateLimitRule | undefined
  readonly routeBreaker: BreakerOptions | undefined
  readonly rateLimitScopes: readonly RateLimitScope[] | undefined
  readonly clientGone: ClientGone
  readonly #reply: FastifyReply

  constructor (reply: FastifyReply, routeId: string, method: string, route: RouteProtectionFields | undefined,
    clientKey: string | undefined, clientGone: ClientGone, rateLimitScopes?: readonly RateLimitScope[]) {
    this.#reply = reply
    this.routeId = routeId
    this.method = method
    this.priority = route?.priority
    this.clientKey = clientKey
    this.routeRateLimit = route?.rateLimit
    this.routeBreaker = route?.breaker
    this.rateLimitScopes = rateLimitScopes
    this.clientGone = clientGone
  }

  setHeader (name: string, value: string): void { this.#reply.header(name, value) }

  /**
   * The same request on the fallback (legacy) shield: no route breaker, and only the global
   * bucket (the route and client buckets were already charged on the Lambda side).
   */
  forFallback (): RequestShieldContext {
    return new RequestShieldContext(this.#reply, this.routeId, this.method, { priority: this.priority }, this.clientKey, this.clientGone, FALLBACK_SCOPES)
  }
}

const FALLBACK_SCOPES: readonly RateLimitScope[] = ['global']
