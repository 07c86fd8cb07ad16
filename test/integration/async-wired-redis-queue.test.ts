// startGateway with REDIS_URL: async jobs live in the Redis stream every replica shares (under
// <distributed.keyPrefix>jobs:), not in the replica's SQLite file. With Redis away at start the
// gateway still starts (degraded); async writes answer 503 — nothing acknowledged without a store
// — until Redis is reachable, then the queue opens by itself and jobs are accepted and delivered.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { redisTest } from '../helpers/redis-gate.js'
import { RedisJobQueue } from '../../gateway/src/async/redis-job-queue.js'
import { startTestLegacyStub } from '../helpers/legacy-stub.js'
import { SHARED_REDIS_URL, startPrivateRedis, testPrefix } from '../helpers/redis.js'
import { eventually, startWiredGateway } from '../helpers/wired-gateway.js'
import { asyncWiredDoc, getJob } from '../helpers/async-wired.js'
import { billingBody, legacyBillings } from '../helpers/async.js'

const post = (url: string, i: number): Promise<Response> =>
  fetch(`${url}/api/billings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: billingBody(i) })

redisTest('REDIS_URL: the job is in Redis, delivered once, no SQLite file', async t => {
  const keyPrefix = testPrefix(t)
  const stub = await startTestLegacyStub(t, { latencyMs: 2 })
  const doc = { ...asyncWiredDoc({ legacyUrl: stub.url }), distributed: { keyPrefix } }
  const gw = await startWiredGateway(t, { doc, env: { REDIS_URL: SHARED_REDIS_URL } })
  t.equal(gw.stateMode, 'redis')

  const res = await post(gw.url, 1)
  t.equal(res.status, 202)
  const { jobId, location } = await res.json() as { jobId: string, location: string }
  await eventually('delivered', async () => (await getJob(gw.url, location)).job.state === 'delivered', 10_000)

  const direct = await RedisJobQueue.open({ url: SHARED_REDIS_URL, keyPrefix: `${keyPrefix}jobs:`, maxQueuedJobs: 10 })
  t.teardown(() => direct.close())
  t.match(await direct.get(jobId), { id: jobId, state: 'delivered', routeId: 'billings.create' }, 'the job is in the shared stream')
  t.notOk(existsSync(join(gw.stateDir, 'async', 'jobs.db')), 'no local SQLite queue')
  t.equal((await legacyBillings(stub.url)).filter(b => b.Description === 'async-1').length, 1)
})

redisTest('Redis away at start: 503 and nothing stored; once Redis answers, accepted and delivered', async t => {
  const redis = await startPrivateRedis(t)
  await redis.kill()
  const stub = await startTestLegacyStub(t, { latencyMs: 2 })
  const doc = { ...asyncWiredDoc({ legacyUrl: stub.url }), distributed: { keyPrefix: 'gw-away:' } }
  const gw = await startWiredGateway(t, { doc, env: { REDIS_URL: redis.url } })
  t.equal(gw.stateMode, 'degraded', 'the gateway started anyway')

  const refused = await post(gw.url, 1)
  t.equal(refused.status, 503)
  t.ok(Number(refused.headers.get('retry-after')) >= 1, 'with Retry-After')
  t.match(await refused.json(), { code: 'GW_ERR_ASYNC_QUEUE_WRITE' })
  t.equal((await fetch(`${gw.url}/api/projects/1`)).status, 200, 'synchronous routes keep serving')

  await redis.start()
  let accepted: Response | undefined
  await eventually('the queue opened', async () => {
    accepted = await post(gw.url, 2)
    return accepted.status === 202
  }, 15_000)
  const { location } = await accepted!.json() as { location: string }
  await eventually('delivered', async () => (await getJob(gw.url, location)).job.state === 'delivered', 10_000)
  const billings = await legacyBillings(stub.url)
  t.equal(billings.filter(b => b.Description === 'async-1').length, 0, 'the refused write never reached legacy')
  t.equal(billings.filter(b => b.Description === 'async-2').length, 1, 'the accepted one did, once')
})
