// The Redis of the distributed-state scenario: BENCH_REDIS_URL, else the machine's Redis at
// 127.0.0.1:6379 if it answers, else a private redis-server (no persistence) on a free port,
// stopped afterwards. Keys live under a unique prefix, deleted at the end.
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:net'
import { Redis } from 'ioredis'

export interface BenchRedis {
  url: string
  /** 'shared' (an existing server) or 'private' (started here). */
  kind: 'shared' | 'private'
  keyPrefix: string
  close: () => Promise<void>
}

async function answers (url: string): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 300 })
  probe.on('error', () => {})
  try {
    await probe.connect()
    return (await probe.ping()) === 'PONG'
  } catch {
    return false
  } finally {
    probe.disconnect(false)
  }
}

async function freePort (): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const a = s.address()
      s.close(() => { resolve(typeof a === 'object' && a !== null ? a.port : 0) })
    })
  })
}

async function deletePrefix (url: string, prefix: string): Promise<void> {
  const admin = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 })
  admin.on('error', () => {})
  try {
    await admin.connect()
    let cursor = '0'
    do {
      const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000)
      cursor = next
      if (keys.length > 0) await admin.del(...keys)
    } while (cursor !== '0')
  } catch { /* best effort */ } finally {
    admin.disconnect(false)
  }
}

export async function benchRedis (env: NodeJS.ProcessEnv = process.env): Promise<BenchRedis> {
  const keyPrefix = `bench:${randomBytes(4).toString('hex')}:`
  const candidate = env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379'
  if (await answers(candidate)) {
    return { url: candidate, kind: 'shared', keyPrefix, close: () => deletePrefix(candidate, keyPrefix) }
  }
  const port = await freePort()
  const url = `redis://127.0.0.1:${port}`
  const proc: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' })
  const failed = new Promise<never>((_resolve, reject) => { proc.once('error', reject) })
  const deadline = Date.now() + 5000
  while (!(await Promise.race([answers(url), failed]))) {
    if (Date.now() > deadline) { proc.kill('SIGKILL'); throw new Error(`no Redis at ${candidate} and redis-server did not start on ${port}`) }
    await new Promise(resolve => setTimeout(resolve, 50))
  }
  return {
    url,
    kind: 'private',
    keyPrefix,
    close: () => new Promise<void>(resolve => {
      if (proc.exitCode !== null || proc.signalCode !== null) { resolve(); return }
      proc.once('exit', () => { resolve() })
      proc.kill('SIGTERM')
    })
  }
}
