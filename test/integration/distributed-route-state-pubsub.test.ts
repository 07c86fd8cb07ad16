// Route state shared through Redis: a flip through replica A is in effect on B and C within a
// second (pub/sub), a replica that missed the message reconciles when it reconnects, and a
// stale replica's last-hit flush never undoes another replica's flip.
import { redisTest } from '../helpers/redis-gate.js'
import type { Test } from 'tap'
import type { Redis } from 'ioredis'
import { createRedisAuditLog } from '../../gateway/src/distributed/redis-audit-log.js'
import { createRedisStateStore } from '../../gateway/src/distributed/redis-route-state-store.js'
import { RouteStateService } from '../../gateway/src/ops/route-state-service.js'
import type { RouteDefinition } from '../../gateway/src/ops/route-state-service.js'
import { connectedClient, testPrefix } from '../helpers/redis.js'

const ROUTES: RouteDefinition[] = [{
  id: 'users.get',
  methods: ['GET'],
  path: '/api/users/:id',
  lambdaFunction: 'Users-dev',
  config: { target: 'legacy', rolloutPercent: 100, shadow: { enabled: false } }
}]

interface Replica { service: RouteStateService, subscriber: Redis }

async function replica (t: Test, keyPrefix: string): Promise<Replica> {
  const client = await connectedClient(t, undefined, { timeoutMs: 1000 })
  const subscriber = await connectedClient(t, undefined, { timeoutMs: 1000 })
  const store = createRedisStateStore({ client, subscriber, keyPrefix })
  t.teardown(() => { store.close() })
  const service = new RouteStateService({ store, audit: createRedisAuditLog({ client, keyPrefix }), routes: ROUTES })
  await service.init()
  return { service, subscriber }
}

async function within (ms: number, ok: () => boolean): Promise<number> {
  const started = performance.now()
  while (!ok()) {
    if (performance.now() - started > ms) return Infinity
    await new Promise(resolve => setTimeout(resolve, 10))
  }
  return performance.now() - started
}

redisTest('a flip through A reaches B and C within 1 s, audited once', async t => {
  const keyPrefix = testPrefix(t)
  const [a, b, c] = [await replica(t, keyPrefix), await replica(t, keyPrefix), await replica(t, keyPrefix)]
  t.equal(b.service.get('users.get')?.target, 'legacy')
  await a.service.patch('users.get', { target: 'lambda' }, { who: 'admin', reason: 'cut over' })
  const tookB = await within(1000, () => b.service.get('users.get')?.target === 'lambda')
  const tookC = await within(1000, () => c.service.get('users.get')?.target === 'lambda')
  t.ok(tookB < 1000, `B sees the flip after ${Math.round(tookB)} ms`)
  t.ok(tookC < 1000, `C sees the flip after ${Math.round(tookC)} ms`)
  t.equal(c.service.get('users.get')?.sources.target, 'runtime', 'as a runtime override')
  const audit = await createRedisAuditLog({ client: await connectedClient(t), keyPrefix }).list()
  t.same(audit.map(e => [e.action, e.routeId, e.reason]), [['route.patch', 'users.get', 'cut over']], 'audited once, readable by every replica')
})

redisTest('a replica that missed the message reconciles on reconnect; its stale flush keeps the flip', async t => {
  const keyPrefix = testPrefix(t)
  const a = await replica(t, keyPrefix)
  const b = await replica(t, keyPrefix)
  // B stops hearing pub/sub (wait for the socket to be gone: end() only half-closes it).
  const ended = new Promise(resolve => b.subscriber.once('end', resolve))
  b.subscriber.disconnect(false)
  await ended
  await a.service.patch('users.get', { target: 'lambda', rolloutPercent: 30 }, { who: 'admin', reason: 'canary' })
  await new Promise(resolve => setTimeout(resolve, 150))
  t.equal(b.service.get('users.get')?.rolloutPercent, 100, 'B missed the change while disconnected')
  b.service.lastHit.hitRoute('users.get')
  await b.service.persist() // B's periodic last-hit flush with its stale view
  const fresh = await replica(t, keyPrefix)
  t.equal(fresh.service.get('users.get')?.rolloutPercent, 30, "B's stale flush did not overwrite A's change")
  t.ok((fresh.service.lastHit.snapshot().routes['users.get'] ?? 0) > 0, "and B's last-hit time was merged")
  await b.subscriber.connect()
  const took = await within(1000, () => b.service.get('users.get')?.rolloutPercent === 30)
  t.ok(took < 1000, `B reconciled ${Math.round(took)} ms after reconnecting`)
  await a.service.patch('users.get', { target: null }, { who: 'admin', reason: 'back' })
  t.ok(await within(1000, () => b.service.get('users.get')?.target === 'legacy') < 1000, 'and hears later flips again (resubscribed)')
})

redisTest('the audit trail is shared and newest first', async t => {
  const keyPrefix = testPrefix(t)
  const client = await connectedClient(t)
  const a = await replica(t, keyPrefix)
  await a.service.patch('users.get', { target: 'lambda' }, { who: 'alice', reason: 'one' })
  await a.service.patch('users.get', { target: null }, { who: 'bob', reason: 'two' })
  const entries = await createRedisAuditLog({ client, keyPrefix }).list({ limit: 10 })
  t.same(entries.map(e => [e.who, e.reason, (e.after as { target: string }).target]), [['bob', 'two', 'legacy'], ['alice', 'one', 'lambda']])
})
