// Redis for distributed-mode tests: the shared server at 127.0.0.1:6379 with a unique key prefix
// per test (keys deleted by t.teardown), and a private redis-server on a free port that a test
// may kill and restart without disturbing anyone else's tests.
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:net'
import type { Test } from 'tap'
import { Redis } from 'ioredis'
import { closeRedisClient, createRedisClient } from '../../gateway/src/distributed/redis-client.js'
import type { RedisClientOptions } from '../../gateway/src/distributed/redis-client.js'

export const SHARED_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'

/** A prefix no other test uses; every key under it is deleted at teardown. */
export function testPrefix (t: Test, url = SHARED_REDIS_URL): string {
  const prefix = `test:${randomBytes(6).toString('hex')}:`
  t.teardown(async () => {
    const admin = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 })
    try {
      await admin.connect()
      let cursor = '0'
      do {
        const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500)
        cursor = next
        if (keys.length > 0) await admin.del(...keys)
      } while (cursor !== '0')
    } catch { /* a private server already stopped */ } finally {
      admin.disconnect(false)
    }
  })
  return prefix
}

/** A connected client with the production settings, closed at teardown. */
export async function connectedClient (t: Test, url = SHARED_REDIS_URL, options: RedisClientOptions = {}): Promise<Redis> {
  const client = createRedisClient(url, options)
  t.teardown(() => closeRedisClient(client))
  await client.connect()
  return client
}

async function freePort (): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address()
      s.close(() => { resolve(typeof addr === 'object' && addr !== null ? addr.port : 0) })
    })
  })
}

export interface PrivateRedis {
  url: string
  port: number
  /** SIGKILLs the server (no shutdown, no save) and waits for the exit. */
  kill: () => Promise<void>
  /** Starts it again on the same port; resolves once it answers PING. */
  start: () => Promise<void>
}

/** A redis-server of this test only (no persistence), killed at teardown. */
export async function startPrivateRedis (t: Test): Promise<PrivateRedis> {
  const port = await freePort()
  let proc: ChildProcess | undefined
  const url = `redis://127.0.0.1:${port}`
  const start = async (): Promise<void> => {
    proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--logfile', ''], { stdio: 'ignore' })
    const deadline = Date.now() + 5000
    for (;;) {
      const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 200 })
      probe.on('error', () => {})
      try {
        await probe.connect()
        await probe.ping()
        return
      } catch (err) {
        if (Date.now() > deadline) throw err
        await new Promise(resolve => setTimeout(resolve, 50))
      } finally {
        probe.disconnect(false)
      }
    }
  }
  const kill = async (): Promise<void> => {
    const p = proc
    if (p === undefined || p.exitCode !== null || p.signalCode !== null) return
    await new Promise<void>(resolve => { p.once('exit', () => { resolve() }); p.kill('SIGKILL') })
  }
  t.teardown(kill)
  await start()
  return { url, port, kill, start }
}
