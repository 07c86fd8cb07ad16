// Settings from the environment (the one place the stub reads it), option bounds, the seed file.
import t from 'tap'
import { capacityFromEnv, checkCapacity, listenFromEnv } from '../../legacy-stub/src/config.js'
import { loadSeed, seedCandidates } from '../../legacy-stub/src/seed.js'
import { buildLegacyStub } from '../../legacy-stub/src/app.js'

t.test('defaults and overrides from the environment', async t => {
  t.same(capacityFromEnv({}), { maxConcurrency: 8, latencyMs: 20, queueLimit: 64 })
  t.same(capacityFromEnv({ LEGACY_MAX_CONCURRENCY: '2', LEGACY_LATENCY_MS: '0', LEGACY_QUEUE_LIMIT: ' ' }),
    { maxConcurrency: 2, latencyMs: 0, queueLimit: 64 })
  t.same(listenFromEnv({}), { host: '127.0.0.1', port: 5000 })
  t.same(listenFromEnv({ LEGACY_STUB_HOST: '0.0.0.0', LEGACY_STUB_PORT: '0' }), { host: '0.0.0.0', port: 0 })
})

t.test('bad values are refused with the setting named', async t => {
  t.throws(() => capacityFromEnv({ LEGACY_MAX_CONCURRENCY: '0' }), {
    code: 'STUB_ERR_INVALID_SETTING',
    message: 'setting LEGACY_MAX_CONCURRENCY=0 is invalid: expected an integer from 1 to 10000'
  })
  t.throws(() => capacityFromEnv({ LEGACY_LATENCY_MS: 'fast' }), { code: 'STUB_ERR_INVALID_SETTING' })
  t.throws(() => listenFromEnv({ LEGACY_STUB_PORT: '70000' }), { code: 'STUB_ERR_INVALID_SETTING' })
  t.throws(() => checkCapacity({ maxConcurrency: 4, latencyMs: -1, queueLimit: 1 }), {
    message: 'setting latencyMs=-1 is invalid: expected an integer from 0 to 60000'
  })
  t.throws(() => buildLegacyStub({ queueLimit: 1.5 }), { code: 'STUB_ERR_INVALID_SETTING' })
})

t.test('the seed file is found from the sources and checked', async t => {
  t.ok(seedCandidates()[0]?.endsWith('legacy-stub/data/seed.json'))
  t.ok(loadSeed().Users.length > 0)
  const dir = t.testdir({ 'broken.json': '{', 'wrong.json': '{"Users": {}}' })
  t.throws(() => loadSeed(`${dir}/missing.json`), { code: 'STUB_ERR_SEED_READ' })
  t.throws(() => loadSeed(`${dir}/broken.json`), { code: 'STUB_ERR_SEED_READ' })
  t.throws(() => loadSeed(`${dir}/wrong.json`), { message: /expected arrays Users, Projects and Budgets/ })
})
