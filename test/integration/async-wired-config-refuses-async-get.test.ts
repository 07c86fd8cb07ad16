// The config refuses what an async route cannot be: startGateway() stops with every problem
// (async on a GET route, a route under the reserved job prefix, an unknown async key) and opens
// no job queue; the shipped config makes billings.create async for dev and prod.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { loadConfig } from '../../gateway/src/config/load-config.js'
import { scratchDir, startWiredGateway } from '../helpers/wired-gateway.js'
import { asyncWiredDoc } from '../helpers/async-wired.js'

t.test('async on GET, a route under /_gateway/jobs and an unknown async key are refused at start', async t => {
  const dir = scratchDir(t)
  const doc = asyncWiredDoc({
    legacyUrl: 'http://127.0.0.1:9',
    routes: [
      { id: 'billings.list', methods: ['GET'], path: '/api/billings/list', target: 'legacy', async: { enabled: true } },
      { id: 'sneaky', methods: ['POST'], path: '/_Gateway/Jobs/:id', target: 'legacy' }
    ]
  })
  await t.rejects(startWiredGateway(t, { doc, dir }), {
    code: 'GW_ERR_CONFIG_INVALID',
    errors: [
      { path: 'routes[2].async.enabled', message: 'expected only POST|PUT|PATCH|DELETE methods on an async route, found GET' },
      { path: 'routes[3].path', message: 'expected a path outside the reserved job prefix /_gateway/jobs, found "/_Gateway/Jobs/:id"' }
    ]
  })
  t.notOk(existsSync(join(dir, 'var', 'async')), 'no job queue was opened')

  const typo = asyncWiredDoc({ legacyUrl: 'http://127.0.0.1:9', route: { maxAttempt: 3 } })
  await t.rejects(startWiredGateway(t, { doc: typo, dir }), {
    code: 'GW_ERR_CONFIG_INVALID',
    errors: [{ path: 'routes[0].async.maxAttempt' }]
  })
})

t.test('with a custom async.pathPrefix, that prefix is the one reserved', async t => {
  const doc = asyncWiredDoc({
    legacyUrl: 'http://127.0.0.1:9',
    async: { pathPrefix: '/jobs' },
    routes: [{ id: 'jobs.old', methods: ['POST'], path: '/jobs/:id', target: 'legacy' }]
  })
  await t.rejects(startWiredGateway(t, { doc }), {
    code: 'GW_ERR_CONFIG_INVALID',
    errors: [{ path: 'routes[2].path', message: 'expected a path outside the reserved job prefix /jobs, found "/jobs/:id"' }]
  })
})

t.test('the shipped config: billings.create is async in dev and prod, the queue under the state dir', async t => {
  for (const env of [{}, { STAGE: 'prod', LEGACY_URL: 'https://legacy.internal.example' }]) {
    const config = loadConfig({ env, ...(env.STAGE ? { stage: env.STAGE } : {}) })
    const route = config.routes.find(r => r.id === 'billings.create')
    t.same(route?.methods, ['POST'])
    t.same(route?.async, { enabled: true, maxAttempts: 10, backoff: { baseMs: 500, maxMs: 60000 }, deadLetterAfter: 86400000 }, `${config.stage}: billings.create is async`)
    t.equal(config.async.dataDir, 'async', 'relative to state.dir')
    const cap = config.legacy.maxConcurrency
    t.ok(typeof cap === 'number' && config.async.workerConcurrency <= cap, 'deliveries fit in the legacy cap')
  }
})
