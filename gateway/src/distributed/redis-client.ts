// One place for the ioredis settings of distributed mode. Every choice serves one rule: a
// request never waits on Redis for longer than `timeoutMs`. When Redis is away, commands fail
// at once (no offline queue) and degraded-mode.ts switches the callers to local limits.
import { Redis } from 'ioredis'
import type { RedisOptions } from 'ioredis'

export interface RedisClientOptions {
  /** Budget of one command, ms (`distributed.redisTimeoutMs`, default 50). */
  timeoutMs?: number
  /** Shown in `CLIENT LIST` (`gw:<replica>:<role>`) so an operator can tell connections apart. */
  connectionName?: string
  /** Longest pause between reconnect attempts, ms. Default 2000. */
  maxReconnectDelayMs?: number
}

/** Reconnect backoff: 50 ms doubling up to the cap, never giving up (Redis may come back any time). */
export function reconnectDelay (attempt: number, capMs = 2000): number {
  return Math.min(capMs, 50 * 2 ** Math.min(attempt - 1, 10))
}

export function redisOptions (options: RedisClientOptions = {}): RedisOptions {
  const timeoutMs = options.timeoutMs ?? 50
  return {
    // Connect explicitly (await client.connect()) so start-up can decide what a failure means.
    lazyConnect: true,
    // A TCP connect that hangs (black-holed host) is abandoned after 1 s and retried with backoff.
    connectTimeout: 1000,
    // Per command: fail after timeoutMs instead of waiting for a slow or paused server.
    commandTimeout: timeoutMs,
    // No retry of a command on a new connection: the caller falls back locally instead.
    maxRetriesPerRequest: 0,
    // Commands issued while disconnected fail immediately instead of queueing (and hanging).
    enableOfflineQueue: false,
    // INFO-based readiness check: 'ready' only once the server has loaded its dataset.
    enableReadyCheck: true,
    // Pub/sub connections resubscribe by themselves after a reconnect.
    autoResubscribe: true,
    // Never replay half-sent commands after a reconnect (a replayed take would double-spend).
    autoResendUnfulfilledCommands: false,
    retryStrategy: (attempt: number) => reconnectDelay(attempt, options.maxReconnectDelayMs),
    ...(options.connectionName === undefined ? {} : { connectionName: options.connectionName })
  }
}

/** A lazily connecting client with the settings above. Call `connect()` (it may reject). */
export function createRedisClient (url: string, options: RedisClientOptions = {}): Redis {
  const client = new Redis(url, redisOptions(options))
  // Connection errors surface through failed commands and 'close' (degraded-mode.ts logs them
  // once per episode); without a listener ioredis would print every reconnect failure.
  client.on('error', () => {})
  return client
}

/** Quits politely when connected, else drops the socket; never throws. */
export async function closeRedisClient (client: Redis): Promise<void> {
  if (client.status === 'ready') {
    try {
      await client.quit()
      return
    } catch { /* fall through */ }
  }
  client.disconnect(false)
}
