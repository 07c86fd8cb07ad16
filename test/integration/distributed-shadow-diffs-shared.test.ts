// Distributed mode as startGateway wires it (REDIS_URL): shadow mismatch samples live in Redis, so
// a mismatch recorded by replica A is listed by GET /admin/routes/:id/diffs on replica B (B's own
// counts stay per replica: zero). Real legacy stub, real local Lambda runtime, real Redis.
import { redisTest } from '../helpers/redis-gate.js'
import { join } from 'node:path'
import { writeFileSync } from 'node:fs'
import { startTestLegacyStub } from '../helpers/legacy-stub.js'
import { startTestLambdaRuntime } from '../helpers/lambda-runtime.js'
import { SHARED_REDIS_URL, testPrefix } from '../helpers/redis.js'
import { diffs, lambdaSection, settled, SHADOW_FUNCTION, SHADOW_TEMPLATE } from '../helpers/shadow-world.js'
import { eventually, scratchDir, startWiredGateway, wiredConfig } from '../helpers/wired-gateway.js'

redisTest('a mismatch seen by replica A is listed by the diffs of replica B', async t => {
  const dir = scratchDir(t, 'gw-shadow-dist-')
  const modeFile = join(dir, 'mode.json')
  const logFile = join(dir, 'lambda-calls.jsonl')
  // Lambda answers with a changed field: every comparison is a mismatch.
  writeFileSync(modeFile, JSON.stringify({ patch: { department: 'People & Culture' } }))
  writeFileSync(logFile, '')
  const stub = await startTestLegacyStub(t, { latencyMs: 5, maxConcurrency: 64 })
  const runtime = await startTestLambdaRuntime(t, { templatePath: SHADOW_TEMPLATE, envOverrides: { [SHADOW_FUNCTION]: { SHADOW_MODE_FILE: modeFile, SHADOW_LOG_FILE: logFile } } })
  const doc = wiredConfig({
    legacyUrl: stub.url,
    lambdaEndpoint: runtime.url,
    legacy: { maxConcurrency: 64 },
    routes: [{ id: 'users.get', methods: ['GET'], path: '/api/users/:id', target: 'legacy', lambda: lambdaSection, shadow: { enabled: true, compare: { caseInsensitiveKeys: true } } }],
    extra: { distributed: { expectedReplicas: 2, keyPrefix: testPrefix(t) } }
  })
  const env = { REDIS_URL: SHARED_REDIS_URL }
  const a = await startWiredGateway(t, { doc, env })
  const b = await startWiredGateway(t, { doc, env })
  t.equal(a.stateMode, 'redis')
  t.equal(b.stateMode, 'redis')

  const res = await fetch(`${a.url}/api/users/3`)
  t.equal(res.status, 200)
  t.equal(((await res.json()) as { Department: string }).Department, 'HR', 'the client got legacy')
  await eventually('A compared', async () => await settled(a, 'users.get') === 1)
  t.match((await diffs(a, 'users.get')).counts, { mismatch: 1 }, 'A recorded a mismatch')

  let onB = await diffs(b, 'users.get')
  await eventually('B lists the sample A wrote (async Redis write)', async () => { onB = await diffs(b, 'users.get'); return onB.mismatches.length === 1 })
  t.match(onB.counts, { match: 0, mismatch: 0, error: 0, shed: 0 }, 'counts stay per replica: B compared nothing')
  t.match(onB.mismatches[0], { method: 'GET', url: '/api/users/3', primary: 'legacy', legacy: { status: 200 }, lambda: { status: 200 } })
  t.same(onB.mismatches[0]?.diffs.find(d => d.path === '$.department'), { path: '$.department', legacy: 'HR', lambda: 'People & Culture' })
})
