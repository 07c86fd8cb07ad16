// Distributed-mode and Redis-queue tests talk to a real Redis: the shared server (TEST_REDIS_URL,
// default 127.0.0.1:6379) and private `redis-server` processes. `npm test` is meant to pass on a
// machine with nothing but Node, so where neither is there these tests are reported as skipped,
// with the reason, instead of failing for a missing service. CI must never skip them: .ci/run
// sets TEST_REQUIRE_REDIS=1 (and starts Redis), and so does CI=true; then a missing Redis fails
// every one of these tests as it would without this gate.
import { execFileSync } from 'node:child_process'
import { connect } from 'node:net'
import t from 'tap'
import type { Test } from 'tap'
import { SHARED_REDIS_URL } from './redis.js'

async function answersPing (url: string): Promise<boolean> {
  const { hostname, port } = new URL(url)
  return new Promise(resolve => {
    const socket = connect({ host: hostname.replace(/^\[|\]$/g, ''), port: Number(port || 6379) })
    const done = (ok: boolean): void => { socket.destroy(); resolve(ok) }
    socket.setTimeout(1000, () => done(false))
    socket.once('error', () => done(false))
    socket.once('connect', () => socket.write('PING\r\n'))
    socket.once('data', chunk => done(chunk.toString('latin1').startsWith('+PONG')))
  })
}

function hasRedisServerBinary (): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

async function skipReason (): Promise<string | false> {
  const required = process.env.TEST_REQUIRE_REDIS === '1' || process.env.CI === 'true'
  if (required) return false
  if (!await answersPing(SHARED_REDIS_URL)) return `no Redis answers at ${SHARED_REDIS_URL} (set TEST_REDIS_URL; .ci/run starts one)`
  if (!hasRedisServerBinary()) return 'no redis-server on PATH (these tests start private ones)'
  return false
}

/** Why this machine cannot run the Redis tests, or false (always false when Redis is required). */
export const redisSkip = await skipReason()

/** A top-level test that needs Redis: skipped with the reason where there is none (see above). */
export function redisTest (name: string, fn: (t: Test) => Promise<void> | void): Promise<unknown> {
  return redisSkip === false ? t.test(name, fn) : t.test(name, { skip: redisSkip }, fn)
}
