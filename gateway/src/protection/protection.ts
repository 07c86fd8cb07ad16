// Builds the shields of one gateway from config: one for legacy (all routes together) and one
// per Lambda function (cap = its reserved concurrency), sharing one rate limiter (so a client's
// bucket is the same whichever target serves it) and one breaker registry.
import { AimdLimit } from './adaptive-limit.js'
import type { AdaptiveLimit } from './adaptive-limit.js'
import { BREAKER_STATE_VALUE, BreakerRegistry } from './breaker-registry.js'
import type { BreakerLogger } from './breaker-registry.js'
import { clientKey, parseClientKeySource } from './client-key.js'
import type { ClientKeyInput, ClientKeyOptions, ParsedKeySource } from './client-key.js'
import type { Clock } from './clock.js'
import { systemClock } from './clock.js'
import { ConcurrencyLimiter } from './concurrency-limiter.js'
import { AUTO_MAX_LIMIT, GradientLimit } from './gradient-limit.js'
import { classifyLambdaError } from './lambda-throttle.js'
import { LambdaProtectionSchema, LegacyProtectionSchema } from './protection.schema.js'
import type { LambdaProtectionSettings, LegacyProtectionSettings } from './protection.schema.js'
import { withSchemaDefaults } from '../config/schema/common.schema.js'
import type { PartialSettings } from '../config/schema/common.schema.js'
import { RateLimiter } from './rate-limiter.js'
import type { RejectionReason } from './rejection.js'
import { RetryBudget } from './retry-budget.js'
import { Shield } from './shield.js'
import type { PermitLimiter } from './concurrency-limiter.port.js'
import type { AsyncRateLimiter } from './rate-limiter.port.js'

/** The metric callbacks (not the `protectionHooks()` Fastify plugin, which binds them). */
export interface ProtectionMetricCallbacks {
  /** Bind to gateway_rejections_total{route,reason}. */
  onReject?: (routeId: string, reason: RejectionReason) => void
  /** Bind to gateway_upstream_inflight{upstream}. */
  onInflight?: (upstream: string, inflight: number) => void
  /** Bind to gateway_breaker_state{breaker} (0 closed, 1 half-open, 2 open). */
  onBreakerState?: (breaker: string, value: 0 | 1 | 2) => void
}

export interface ProtectionDeps {
  hooks?: ProtectionMetricCallbacks
  logger?: BreakerLogger
  clock?: Clock
  /** Distributed mode: the legacy permits shared by every replica (RedisSemaphore). */
  legacyLimiter?: PermitLimiter
  /** Distributed mode: shared token buckets for every shield (RedisRateLimiter). */
  asyncRateLimiter?: AsyncRateLimiter
}

/**
 * The legacy block, protection part. A loaded config has every default already; a left-out
 * field (tests, code without a loaded config) takes the schema's default. Absent
 * `clientRateLimit` = no per-client limit: it is opt-in.
 */
export type LegacyProtectionInput = PartialSettings<LegacyProtectionSettings>
/** A route's `lambda` block, protection part; left-out fields take the schema's defaults. */
export type LambdaProtectionInput = PartialSettings<LambdaProtectionSettings>

export class Protection {
  readonly breakers: BreakerRegistry
  readonly rateLimiter: RateLimiter
  readonly legacy: Shield
  readonly #lambdas = new Map<string, Shield>()
  readonly #deps: ProtectionDeps
  readonly #clock: Clock
  readonly #keySource: ParsedKeySource | undefined
  readonly #keyOptions: ClientKeyOptions
  // The last `ip` key made (source `ip`): the requests of one connection share the socket's
  // address string, so most requests reuse the key (and its hash) instead of building one.
  #lastIp: string | undefined = undefined
  #lastIpKey: string | undefined = undefined
  readonly #settings: LegacyProtectionSettings
  /** The legacy cap mode is fixed at start: a reload to or from `auto` keeps the running one. */
  readonly #startedAuto: boolean
  #fixedCap: number

  constructor (input: LegacyProtectionInput = {}, deps: ProtectionDeps = {}) {
    const legacy = withSchemaDefaults(LegacyProtectionSchema, input)
    this.#deps = deps
    this.#settings = legacy
    this.#startedAuto = legacy.maxConcurrency === 'auto'
    this.#fixedCap = legacy.maxConcurrency === 'auto' ? AUTO_MAX_LIMIT : legacy.maxConcurrency
    this.#clock = deps.clock ?? systemClock
    const hooks = deps.hooks ?? {}
    this.breakers = new BreakerRegistry({ logger: deps.logger })
    this.breakers.onStateChange(c => hooks.onBreakerState?.(c.name, BREAKER_STATE_VALUE[c.to]))
    const client = legacy.clientRateLimit
    // Without per-client limits only the global and route buckets live there (the limiter's own bound).
    this.rateLimiter = new RateLimiter({ ...(client ? { maxKeys: client.maxKeys } : {}), now: () => this.#clock.now() })
    this.#keySource = client ? parseClientKeySource(client.key) : undefined
    this.#keyOptions = { trustJwt: client?.trustJwt === true }

    const retries = legacy.bufferedRetries
    this.legacy = new Shield({
      name: 'legacy',
      limiter: deps.legacyLimiter ?? new ConcurrencyLimiter({
        name: 'legacy',
        maxConcurrency: this.#fixedCap,
        queue: legacy.queue,
        clock: this.#clock,
        adaptive: legacyAdaptiveLimit(legacy, this.#clock),
        onChange: (n) => hooks.onInflight?.('legacy', n)
      }),
      breakers: this.breakers,
      breaker: legacy.breaker,
      rateLimiter: this.rateLimiter,
      ...(deps.asyncRateLimiter ? { asyncRateLimiter: deps.asyncRateLimiter } : {}),
      globalRateLimit: legacy.rateLimit,
      clientRateLimit: client,
      retry: retries.enabled ? { config: retries, budget: new RetryBudget(retries) } : undefined,
      hooks
    })
    this.breakers.get('legacy', legacy.breaker)
    hooks.onBreakerState?.('legacy', 0)
  }

  /** Client key of a request for the per-client bucket; undefined when no clientRateLimit is set. */
  clientKeyOf (input: ClientKeyInput): string | undefined {
    const source = this.#keySource
    if (source === undefined) return undefined
    if (source.kind !== 'ip') return clientKey(source, input, this.#keyOptions)
    const ip = input.ip
    if (ip !== this.#lastIp || this.#lastIpKey === undefined) {
      // The ip read once: behind trusted proxies request.ip is worked out on every read.
      this.#lastIpKey = clientKey(source, { headers: input.headers, ip }, this.#keyOptions)
      this.#lastIp = ip
    }
    return this.#lastIpKey
  }

  /**
   * The shield of one Lambda function, created on first use. Settings of the first call win
   * (a reload that changes a function's cap calls `lambdaReconfigure`).
   */
  lambda (functionName: string, input: LambdaProtectionInput = {}): Shield {
    const existing = this.#lambdas.get(functionName)
    if (existing) return existing
    const settings = withSchemaDefaults(LambdaProtectionSchema, input)
    const name = `lambda:${functionName}`
    const hooks = this.#deps.hooks ?? {}
    const shield = new Shield({
      name,
      limiter: new ConcurrencyLimiter({
        name,
        maxConcurrency: settings.maxConcurrency,
        queue: settings.queue,
        clock: this.#clock,
        onChange: (n) => hooks.onInflight?.(name, n)
      }),
      breakers: this.breakers,
      breaker: settings.breaker,
      rateLimiter: this.rateLimiter,
      ...(this.#deps.asyncRateLimiter ? { asyncRateLimiter: this.#deps.asyncRateLimiter } : {}),
      clientRateLimit: this.#settings.clientRateLimit,
      classifyError: classifyLambdaError,
      hooks
    })
    this.breakers.get(name, settings.breaker)
    hooks.onBreakerState?.(name, 0)
    this.#lambdas.set(functionName, shield)
    return shield
  }

  /** Every shield made so far: legacy's, then each Lambda function's (the upstream gauges read them). */
  * shields (): IterableIterator<Shield> {
    yield this.legacy
    yield * this.#lambdas.values()
  }

  lambdaReconfigure (functionName: string, input: LambdaProtectionInput): void {
    const settings = withSchemaDefaults(LambdaProtectionSchema, input)
    this.#lambdas.get(functionName)?.limiter.reconfigure(settings.maxConcurrency, settings.queue)
  }

  /**
   * Applies a reloaded legacy block: cap, queue and rate rules at once. Breaker options, the
   * client key source, retries and adaptive settings apply on restart, and so does a switch
   * between a number and `auto` (a number given while `auto` runs caps the adaptive limit).
   */
  reconfigureLegacy (input: LegacyProtectionInput): void {
    const legacy = withSchemaDefaults(LegacyProtectionSchema, input)
    // auto → a number caps the gradient; fixed → auto keeps the number (no unbounded cap on a reload).
    if (legacy.maxConcurrency !== 'auto') this.#fixedCap = legacy.maxConcurrency
    else if (this.#startedAuto) this.#fixedCap = AUTO_MAX_LIMIT
    this.legacy.limiter.reconfigure(this.#fixedCap, legacy.queue)
    this.legacy.updateRateLimits({ globalRateLimit: legacy.rateLimit, clientRateLimit: legacy.clientRateLimit })
    for (const shield of this.#lambdas.values()) shield.updateRateLimits({ clientRateLimit: legacy.clientRateLimit })
  }

  close (): void {
    this.breakers.close()
    this.rateLimiter.clear()
  }
}

/** `auto`: the latency-gradient cap; else the optional AIMD cap below the configured number. */
function legacyAdaptiveLimit (legacy: LegacyProtectionSettings, clock: Clock): AdaptiveLimit | undefined {
  if (legacy.maxConcurrency === 'auto') return new GradientLimit(() => clock.now(), { maxLimit: AUTO_MAX_LIMIT })
  return legacy.adaptive.enabled ? new AimdLimit(legacy.maxConcurrency, legacy.adaptive) : undefined
}
