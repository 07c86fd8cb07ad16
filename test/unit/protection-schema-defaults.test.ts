import t from 'tap'
import { Type } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import {
  LambdaProtectionSchema, LegacyProtectionSchema, RouteProtectionSchema, legacyProtectionProperties
} from '../../gateway/src/protection/protection.schema.js'
import { withSchemaDefaults } from '../../gateway/src/config/schema/common.schema.js'

t.test('defaults match the ARCHITECTURE sketch: 8 in flight, queue 64/250 ms, 200/s burst 50, breaker 50%/20/5000 ms', async t => {
  const legacy = Value.Default(LegacyProtectionSchema, {
    queue: {}, rateLimit: {}, breaker: {}, bufferedRetries: {}, adaptive: {}
  }) as Record<string, unknown>
  t.match(legacy, {
    maxConcurrency: 8,
    queue: { maxSize: 64, maxWaitMs: 250 },
    rateLimit: { perSecond: 200, burst: 50 },
    breaker: { errorThresholdPercentage: 50, volumeThreshold: 20, resetTimeoutMs: 5000 },
    bufferedRetries: { enabled: false },
    adaptive: { enabled: false }
  })
  t.ok(Value.Check(LegacyProtectionSchema, legacy))
  t.same(Value.Default(LegacyProtectionSchema, {}), legacy, 'absent blocks are filled the same way')
})

t.test('closed objects: a typo is an error, with its path', async t => {
  const errors = [...Value.Errors(LegacyProtectionSchema, { maxConcurrency: 8, queue: { maxSize: 64, maxWaitMS: 250 } })]
  t.ok(errors.some(e => e.path.startsWith('/queue')), 'queue.maxWaitMS reported')
  t.notOk(Value.Check(RouteProtectionSchema, { priority: 1, fallback: 'lambda' }), 'fallback is legacy | none')
  t.notOk(Value.Check(RouteProtectionSchema, { rateLimit: { perSecond: 0, burst: 1 } }), 'perSecond must be > 0')
  t.ok(Value.Check(RouteProtectionSchema, { priority: 10, fallback: 'legacy', fallbackMethods: ['GET', 'HEAD'] }))
})

t.test('fragments compose into the config helper\'s own objects', async t => {
  const Legacy = Type.Object({ url: Type.String(), ...legacyProtectionProperties }, { additionalProperties: false })
  // As the loader does: defaults first, then the check.
  const check = (v: Record<string, unknown>): boolean => Value.Check(Legacy, Value.Default(Legacy, v))
  t.ok(check({ url: 'http://127.0.0.1:5000', maxConcurrency: 4, clientRateLimit: { perSecond: 5, burst: 10, key: 'header:x-api-key', trustJwt: false, maxKeys: 100 } }))
  t.notOk(check({ url: 'x', maxConcurrency: 4, clientRateLimit: { perSecond: 5, burst: 10, key: 'cookie:x', trustJwt: false, maxKeys: 100 } }))
})

t.test('partial blocks are completed from the defaults (no NaN limits); clientRateLimit stays opt-in', async t => {
  const s = withSchemaDefaults(LegacyProtectionSchema, { queue: { maxWaitMs: 100 }, adaptive: { enabled: true } })
  t.same(s.queue, { maxSize: 64, maxWaitMs: 100 })
  t.same(s.adaptive, { enabled: true, minConcurrency: 1, latencyThresholdMs: 500, backoffRatio: 0.9 })
  t.same(s.rateLimit, { perSecond: 200, burst: 50 })
  t.equal(s.clientRateLimit, undefined)
  t.match(withSchemaDefaults(LegacyProtectionSchema, { clientRateLimit: { perSecond: 1 } }).clientRateLimit, { perSecond: 1, burst: 40, key: 'ip', maxKeys: 10000 })
})

t.test('a Lambda function without settings: cap 1000 (bounded by the account), queue 32/100 ms, the default breaker', async t => {
  t.same(withSchemaDefaults(LambdaProtectionSchema, {}), {
    maxConcurrency: 1000,
    queue: { maxSize: 32, maxWaitMs: 100 },
    breaker: { errorThresholdPercentage: 50, volumeThreshold: 20, resetTimeoutMs: 5000, rollingCountTimeoutMs: 10000, rollingCountBuckets: 10 }
  })
  t.same(withSchemaDefaults(LambdaProtectionSchema, { queue: { maxSize: 4 } }).queue, { maxSize: 4, maxWaitMs: 100 })
})
