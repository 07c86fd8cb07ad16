// Shared token buckets: one Lua script per decision (EVALSHA via defineCommand) refills, checks
// and takes from every bucket of the request atomically, so replicas can never together admit
// more than a bucket holds. Time is Redis `TIME` inside the script: one clock for all replicas,
// no skew between hosts (Redis >= 5 replicates scripts by effect, so TIME is allowed).
// While degraded (Redis down or slower than the timeout) the decision is local, with every
// rule divided by the expected replica count (degraded-mode.ts).
import type { Redis } from 'ioredis'
import { RateLimiter } from '../protection/rate-limiter.js'
import type { RateLimitCheck, RateLimitDecision, RateLimitRule } from '../protection/rate-limiter.js'
import { decisionFrom, takeEach } from '../protection/rate-decision.js'
import type { TakeResult } from '../protection/token-bucket.js'
import type { DegradedMode } from './degraded-mode.js'
import { perReplica } from './degraded-mode.js'
import type { AsyncRateLimiter } from '../protection/rate-limiter.port.js'

// KEYS[i] bucket hash {t = tokens, u = updated ms}; ARGV[1] = n, ARGV[2i], ARGV[2i+1] = capacity,
// refill/s. Returns {allowed, nowMs, tokens_1 .. tokens_k} with tokens after refill, before the
// take, as strings (Lua numbers would be truncated to integers in the reply).
const TAKE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local n = tonumber(ARGV[1])
local allowed = 1
local tokens = {}
local stamps = {}
for i = 1, #KEYS do
  local cap = tonumber(ARGV[2 * i])
  local rate = tonumber(ARGV[2 * i + 1])
  local v = redis.call('HMGET', KEYS[i], 't', 'u')
  local tk = tonumber(v[1])
  local u = tonumber(v[2])
  if tk == nil or u == nil then tk = cap; u = now end
  if tk > cap then tk = cap end
  local elapsed = now - u
  if elapsed < 0 then elapsed = 0 end
  tk = math.min(cap, tk + elapsed * rate / 1000)
  if now > u then u = now end
  tokens[i] = tk
  stamps[i] = u
  if tk + 1e-9 < n then allowed = 0 end
end
local out = { allowed, now }
for i = 1, #KEYS do
  if allowed == 1 then
    local cap = tonumber(ARGV[2 * i])
    local rate = tonumber(ARGV[2 * i + 1])
    local left = tokens[i] - n
    if left < 0 then left = 0 end
    redis.call('HSET', KEYS[i], 't', string.format('%.6f', left), 'u', stamps[i])
    redis.call('PEXPIRE', KEYS[i], math.ceil(cap * 1000 / rate) + 1000)
  end
  out[#out + 1] = string.format('%.6f', tokens[i])
end
return out
`

type TakeReply = [number, number, ...string[]]
interface WithTake { gwTakeTokens: (...args: Array<string | number>) => Promise<TakeReply> }

/** Registers the script on a client once (ioredis sends EVALSHA, falling back to EVAL once). */
export function defineTakeScript (client: Redis): Redis & WithTake {
  const c = client as Redis & Partial<WithTake>
  if (c.gwTakeTokens === undefined) client.defineCommand('gwTakeTokens', { lua: TAKE_SCRIPT })
  return c as Redis & WithTake
}

export interface RedisRateLimiterOptions {
  client: Redis
  degraded: DegradedMode
  /** `distributed.keyPrefix`, e.g. `gw:`. */
  keyPrefix: string
  /** Client buckets kept by the local fallback. */
  maxKeys?: number
}

const divide = (rule: RateLimitRule, k: number): RateLimitRule =>
  ({ perSecond: rule.perSecond / k, burst: perReplica(rule.burst, k) })

export class RedisRateLimiter implements AsyncRateLimiter {
  /** The local fallback used while degraded (rules divided by expectedReplicas). */
  readonly fallback: RateLimiter
  readonly #client: Redis & WithTake
  readonly #degraded: DegradedMode
  readonly #prefix: string

  constructor (options: RedisRateLimiterOptions) {
    this.#client = defineTakeScript(options.client)
    this.#degraded = options.degraded
    this.#prefix = options.keyPrefix
    this.fallback = new RateLimiter({ maxKeys: options.maxKeys })
  }

  async check (checks: readonly RateLimitCheck[], n = 1): Promise<RateLimitDecision> {
    if (checks.length === 0) return { allowed: true, retryAfterSeconds: 0, headers: {} }
    if (!this.#degraded.degraded) {
      try {
        return await this.#shared(checks, n)
      } catch (err) {
        this.#degraded.reportFailure(err)
      }
    }
    const k = this.#degraded.expectedReplicas
    return this.fallback.check(checks.map(c => ({ ...c, rule: divide(c.rule, k) })), n)
  }

  async #shared (checks: readonly RateLimitCheck[], n: number): Promise<RateLimitDecision> {
    const args: Array<string | number> = [checks.length]
    for (const c of checks) args.push(`${this.#prefix}rl:${c.scope}:${c.key}`)
    args.push(n)
    for (const c of checks) args.push(c.rule.burst, c.rule.perSecond)
    const reply = await this.#client.gwTakeTokens(...args)
    const now = Number(reply[1])
    const results = takeEach(checks, (_, i) => ({ tokens: Number(reply[i + 2]), updatedAt: now }), now, n)
    // The script's verdict is the truth (it is what was written); the JS replay only shapes headers.
    if (reply[0] === 0 && results.every(r => r.allowed)) {
      const i = results.reduce((lo, r, j) => (r.state.tokens < (results[lo] as TakeResult).state.tokens ? j : lo), 0)
      results[i] = { ...(results[i] as TakeResult), allowed: false, retryAfterMs: 1 }
    }
    return decisionFrom(checks, results)
  }
}
