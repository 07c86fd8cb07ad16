// Config checks of the async fragment: an async route serves writes only (GET refused), the job
// prefix is reserved from routing, and the schema fills defaults and refuses unknown keys.
import t from 'tap'
import { Value } from '@sinclair/typebox/value'
import { AsyncSectionSchema, RouteAsyncSchema, asyncConfigProblems, resolveRouteAsync } from '../../gateway/src/async/async.schema.js'

t.test('an async GET route is refused with its path', async t => {
  const problems = asyncConfigProblems({
    routes: [
      { id: 'a', methods: ['POST'], path: '/api/billings', async: { enabled: true } },
      { id: 'b', methods: ['GET', 'POST'], path: '/api/things', async: { enabled: true } },
      { id: 'c', methods: ['GET'], path: '/api/users', async: { enabled: false } }
    ]
  })
  t.same(problems, [{ path: 'routes[1].async.enabled', message: 'expected only POST|PUT|PATCH|DELETE methods on an async route, found GET' }])
})

t.test('the job prefix is reserved from routing', async t => {
  t.same(asyncConfigProblems({ routes: [{ id: 'x', methods: ['GET'], path: '/_Gateway/jobs/:id' }] }),
    [{ path: 'routes[0].path', message: 'expected a path outside the reserved job prefix /_gateway/jobs, found "/_Gateway/jobs/:id"' }])
  t.same(asyncConfigProblems({ async: { pathPrefix: '/jobs' }, routes: [{ id: 'x', methods: ['GET'], path: '/jobs' }] }).length, 1)
  t.same(asyncConfigProblems({ routes: [{ id: 'x', methods: ['GET'], path: '/_gateway/jobsfoo' }] }), [])
})

t.test('schema defaults and closed objects', async t => {
  t.same(Value.Default(AsyncSectionSchema, {}), {
    dataDir: 'async',
    maxQueuedJobs: 100_000,
    maxBodyBytes: 262_144,
    maxResultBytes: 16_384,
    pathPrefix: '/_gateway/jobs',
    workerConcurrency: 2,
    pollMs: 500,
    secretHeaders: [],
    priorityClass: 'shadow',
    retention: { settledMs: 604_800_000, sweepIntervalMs: 60_000, batchSize: 100 }
  })
  t.notOk(Value.Check(AsyncSectionSchema, { retention: { settledMs: 500 } }), 'retention below a second is refused')
  t.notOk(Value.Check(AsyncSectionSchema, { retention: { keepDead: true } }), 'retention is closed too')
  t.notOk(Value.Check(RouteAsyncSchema, { enabled: true, maxAtempts: 3 }), 'a typo is an error')
  t.same(resolveRouteAsync({ enabled: true, backoff: { baseMs: 5 } as never }),
    { enabled: true, maxAttempts: 10, backoff: { baseMs: 5, maxMs: 60_000 }, deadLetterAfter: 86_400_000 })
  t.equal(resolveRouteAsync({ enabled: false }), undefined)
})
