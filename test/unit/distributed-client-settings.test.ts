// The ioredis settings of distributed mode are the documented ones: no offline queue, no
// per-request retries, a command timeout of the configured budget, lazy connect, bounded backoff.
import t from 'tap'
import { Value } from '@sinclair/typebox/value'
import { perReplica } from '../../gateway/src/distributed/degraded-mode.js'
import { DistributedSchema } from '../../gateway/src/distributed/distributed.schema.js'
import { reconnectDelay, redisOptions } from '../../gateway/src/distributed/redis-client.js'

t.test('client options never let a request wait on Redis', async t => {
  const o = redisOptions({ timeoutMs: 50, connectionName: 'gw:1:cmd' })
  t.match(o, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: 50,
    connectTimeout: 1000,
    autoResendUnfulfilledCommands: false,
    autoResubscribe: true,
    connectionName: 'gw:1:cmd'
  })
  t.equal(redisOptions().commandTimeout, 50, 'the default budget is 50 ms')
})

t.test('reconnect backoff doubles from 50 ms and is capped, never giving up', async t => {
  t.same([1, 2, 3, 4, 5, 6, 7].map(n => reconnectDelay(n)), [50, 100, 200, 400, 800, 1600, 2000])
  t.equal(reconnectDelay(1000), 2000)
  t.equal(reconnectDelay(10, 500), 500)
})

t.test('the distributed config block has the documented defaults and refuses typos', async t => {
  t.same(Value.Default(DistributedSchema, {}), { expectedReplicas: 1, redisTimeoutMs: 50, leaseTtlMs: 5000, keyPrefix: 'gw:' })
  t.equal(Value.Check(DistributedSchema, { expectedReplicas: 3, redisTimeoutMs: 50, leaseTtlMs: 5000, keyPrefix: 'gw:', replicas: 3 }), false)
  t.equal(Value.Check(DistributedSchema, { expectedReplicas: 0, redisTimeoutMs: 50, leaseTtlMs: 5000, keyPrefix: 'gw:' }), false)
})

t.test('local limits while degraded are divided by the replica count, never below 1', async t => {
  t.equal(perReplica(8, 3), 2)
  t.equal(perReplica(50, 1), 50)
  t.equal(perReplica(2, 3), 1)
})
