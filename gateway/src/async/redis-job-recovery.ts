// Crash recovery of the Redis job queue through the consumer group's pending list: a claimed job
// stays pending for its consumer until it is settled. This consumer refreshes its own pending
// entries while it delivers (XCLAIM JUSTID every claimIdleMs/3); entries idle longer than
// claimIdleMs belong to a consumer that died, and any replica's periodic sweep (XAUTOCLAIM) puts
// their jobs back to queued — the redelivery carries the same Idempotency-Key, so legacy replays
// instead of billing twice. Consumer names left by old processes are forgotten once idle.
import type { Redis } from 'ioredis'
import { jobScript } from './redis-job-scripts.js'

const SWEEP_BATCH = 100

export interface ConsumerRecoveryOptions {
  client: Redis
  prefix: string
  group: string
  consumer: string
  claimIdleMs: number
  forgetConsumersAfterMs?: number | undefined
  logger?: { warn: (obj: object, msg: string) => void } | undefined
}

export class ConsumerRecovery {
  /** Jobs this consumer claimed and has not settled: id → stream entry (for the heartbeat). */
  readonly claimed = new Map<string, string>()
  readonly #o: ConsumerRecoveryOptions
  readonly #heartbeat: NodeJS.Timeout
  #lastSweep = 0

  constructor (options: ConsumerRecoveryOptions) {
    this.#o = options
    this.#heartbeat = setInterval(() => { this.#beat().catch(() => {}) }, Math.max(10, Math.floor(options.claimIdleMs / 3)))
    this.#heartbeat.unref()
  }

  /** This consumer's own pending entries (any age), then every consumer's stale ones. */
  async recoverInflight (now: number): Promise<number> {
    const { client, prefix, group, consumer } = this.#o
    let requeued = 0
    for (;;) {
      const [n, seen] = await jobScript(client, 'gwJobRecover')(prefix, group, consumer, now, 'own', SWEEP_BATCH) as [number, number, string]
      requeued += n
      if (seen < SWEEP_BATCH) break
    }
    this.claimed.clear()
    return requeued + await this.recoverStale(now)
  }

  /** Jobs of consumers idle longer than claimIdleMs back to queued. Returns how many. */
  async recoverStale (now: number): Promise<number> {
    const { client, prefix, group, consumer, claimIdleMs } = this.#o
    this.#lastSweep = performance.now()
    let requeued = 0
    let cursor = '0-0'
    do {
      const r = await jobScript(client, 'gwJobRecover')(prefix, group, consumer, now, 'stale', SWEEP_BATCH, claimIdleMs, cursor) as [number, number, string]
      requeued += r[0]
      cursor = r[2]
    } while (cursor !== '0-0')
    if (requeued > 0) this.#o.logger?.warn({ requeued, consumer }, 'async: jobs of a dead consumer requeued (same Idempotency-Key)')
    await this.#forgetIdleConsumers()
    return requeued
  }

  async sweepIfDue (now: number): Promise<void> {
    if (performance.now() - this.#lastSweep < Math.min(this.#o.claimIdleMs / 2, 5000)) return
    await this.recoverStale(now)
  }

  close (): void {
    clearInterval(this.#heartbeat)
  }

  /**
   * Every process start adds a consumer name to the group; names with nothing pending and idle for
   * forgetConsumersAfterMs are deleted so the group does not grow forever. A live but idle replica
   * loses nothing: XREADGROUP recreates its name on the next read.
   */
  async #forgetIdleConsumers (): Promise<void> {
    const { client, prefix, group, consumer } = this.#o
    const limit = this.#o.forgetConsumersAfterMs ?? Math.max(600_000, this.#o.claimIdleMs * 10)
    const rows = await client.xinfo('CONSUMERS', `${prefix}stream`, group) as Array<Array<string | number>>
    for (const row of rows) {
      const info = new Map<string, string | number>()
      for (let i = 0; i + 1 < row.length; i += 2) info.set(String(row[i]), row[i + 1]!)
      const name = String(info.get('name'))
      if (name !== consumer && Number(info.get('pending')) === 0 && Number(info.get('idle')) > limit) {
        await jobScript(client, 'gwJobForgetConsumer')(prefix, group, name) // atomic: only if still nothing pending
      }
    }
  }

  /** Keeps this consumer's in-flight entries from looking idle (and so dead) to the sweep. */
  async #beat (): Promise<void> {
    const { client, prefix, group, consumer } = this.#o
    const entries = [...this.claimed.values()].filter(e => e !== '')
    if (entries.length === 0 || client.status !== 'ready') return
    await jobScript(client, 'gwJobHeartbeat')(prefix, group, consumer, ...entries)
  }
}
