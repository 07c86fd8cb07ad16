// Shadow mismatch samples in Redis: two replicas' samples of a route in one bounded list, newest
// first (LPUSH + LTRIM), sanitised before they leave the process (secrets never reach Redis),
// at most maxRoutes route lists, and a Redis outage costs only the sharing (no throw, local list).
import { redisTest } from '../helpers/redis-gate.js'
import { RedisMismatchStore } from '../../gateway/src/distributed/redis-mismatch-store.js'
import type { MismatchRecord } from '../../gateway/src/shadow/mismatch-store.js'
import { connectedClient, SHARED_REDIS_URL, startPrivateRedis, testPrefix } from '../helpers/redis.js'

const record = (n: number, extra: Partial<MismatchRecord> = {}): MismatchRecord => ({
  at: new Date(1_700_000_000_000 + n).toISOString(),
  method: 'GET',
  url: `/api/users/${n}`,
  primary: 'legacy',
  legacy: { status: 200, body: JSON.stringify({ id: n, name: 'legacy' }) },
  lambda: { status: 200, body: JSON.stringify({ id: n, name: 'lambda' }) },
  diffs: [{ path: 'body.name', legacy: 'legacy', lambda: 'lambda' }],
  ...extra
})

redisTest('two replicas share one bounded list per route, newest first', async t => {
  const keyPrefix = testPrefix(t)
  const a = new RedisMismatchStore({ client: await connectedClient(t, SHARED_REDIS_URL, { timeoutMs: 1000 }), keyPrefix, perRoute: 4 })
  const b = new RedisMismatchStore({ client: await connectedClient(t, SHARED_REDIS_URL, { timeoutMs: 1000 }), keyPrefix, perRoute: 4 })
  a.add('users.get', record(1))
  await a.flushed()
  b.add('users.get', record(2))
  await b.flushed()
  a.add('users.get', record(3))
  await a.flushed()
  t.same((await b.listShared('users.get')).map(m => m.url), ['/api/users/3', '/api/users/2', '/api/users/1'], 'B reads A\'s and its own, newest first')
  t.same(a.list('users.get').map(m => m.url), ['/api/users/3', '/api/users/1'], 'list() stays this replica\'s own')
  for (let n = 4; n <= 9; n++) b.add('users.get', record(n))
  await b.flushed()
  const shared = await a.listShared('users.get')
  t.same(shared.map(m => m.url), ['/api/users/9', '/api/users/8', '/api/users/7', '/api/users/6'], 'trimmed to perRoute 4')
  const raw = await (await connectedClient(t)).llen(`${keyPrefix}shadow:mm:users.get`)
  t.equal(raw, 4, 'the Redis list itself holds 4')
  t.same(await a.listShared('budgets.get'), [], 'an unknown route has no samples')
})

redisTest('secrets are redacted and bodies capped before the record reaches Redis', async t => {
  const keyPrefix = testPrefix(t)
  const client = await connectedClient(t, SHARED_REDIS_URL, { timeoutMs: 1000 })
  const store = new RedisMismatchStore({ client, keyPrefix, maxBodyChars: 64 })
  store.add('users.get', record(1, {
    legacy: { status: 200, body: JSON.stringify({ token: 'tok-SECRET-1', padding: 'x'.repeat(500) }) },
    diffs: [{ path: 'headers.authorization', legacy: 'Bearer SECRET-2', lambda: 'Bearer SECRET-3' }, { path: 'body.password', legacy: 'SECRET-4', lambda: 'SECRET-5' }]
  }))
  await store.flushed()
  const [stored] = await client.lrange(`${keyPrefix}shadow:mm:users.get`, 0, -1)
  t.ok(stored !== undefined, 'stored')
  t.notMatch(stored ?? '', /SECRET/, 'no secret value in Redis')
  t.match(stored ?? '', /\[redacted\]/)
  const [shared] = await store.listShared('users.get')
  t.ok((shared?.legacy.body.length ?? Infinity) < 100, `body capped (${shared?.legacy.body.length} chars)`)
})

redisTest('at most maxRoutes route lists: the least recently written route is dropped', async t => {
  const keyPrefix = testPrefix(t)
  const client = await connectedClient(t, SHARED_REDIS_URL, { timeoutMs: 1000 })
  const store = new RedisMismatchStore({ client, keyPrefix, maxRoutes: 2 })
  for (const route of ['r1', 'r2', 'r3']) {
    store.add(route, record(1))
    await store.flushed()
    await new Promise(resolve => setTimeout(resolve, 5))
  }
  t.equal(await client.exists(`${keyPrefix}shadow:mm:r1`), 0, 'r1 dropped')
  t.equal(await client.exists(`${keyPrefix}shadow:mm:r3`), 1)
  t.same(await client.zrange(`${keyPrefix}shadow:mm:routes`, 0, -1), ['r2', 'r3'])
})

redisTest('Redis down: add never throws, the sample stays local, listShared falls back to it', async t => {
  const redis = await startPrivateRedis(t)
  const client = await connectedClient(t, redis.url, { timeoutMs: 200 })
  const errors: unknown[] = []
  const store = new RedisMismatchStore({ client, keyPrefix: 'gw:', onError: e => { errors.push(e) } })
  await redis.kill()
  const started = performance.now()
  store.add('users.get', record(1))
  await store.flushed()
  t.ok(performance.now() - started < 1000, 'the failed write settled promptly')
  t.equal(store.failedWrites, 1)
  t.same((await store.listShared('users.get')).map(m => m.url), ['/api/users/1'], 'this replica\'s sample is still shown')
  t.ok(errors.length >= 2, 'the write and the read failure were reported')
})
