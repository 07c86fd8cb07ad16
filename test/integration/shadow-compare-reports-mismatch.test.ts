// Shadow comparison through the real stack: legacy (PascalCase) answers the client, the Lambda
// (camelCase) is called in the background. Identical answers match when caseInsensitiveKeys says so;
// a deliberately different field is reported with its path and both values by
// GET /admin/routes/:id/diffs and `gatewayctl diffs`; an ignored path is ignored; the client
// never sees anything of the shadow.
import t from 'tap'
import { diffs, lambdaSection, metricLines, settled, startShadowWorld } from '../helpers/shadow-world.js'
import { admin, eventually, WIRED_ADMIN_TOKEN } from '../helpers/wired-gateway.js'
import { runCli } from '../helpers/ops-cli.js'

const route = (compare: Record<string, unknown>): Record<string, unknown> => ({
  id: 'users.get',
  methods: ['GET'],
  path: '/api/users/:id',
  target: 'legacy',
  lambda: lambdaSection,
  shadow: { enabled: true, compare }
})

async function getUser (gw: { url: string }, id: number): Promise<{ status: number, headers: Headers, body: any, ms: number }> {
  const started = performance.now()
  const res = await fetch(`${gw.url}/api/users/${id}`)
  const body = await res.json()
  return { status: res.status, headers: res.headers, body, ms: performance.now() - started }
}

t.test('PascalCase vs camelCase match, a changed field is reported with path and values, ignored paths are not', async t => {
  const w = await startShadowWorld(t, { routes: [route({ caseInsensitiveKeys: true, ignore: ['$.hiredOn'] })] })

  // 1. Same facts, different casing: a match.
  const first = await getUser(w.gw, 3)
  t.equal(first.status, 200)
  t.same(first.body.FirstName, 'Clara', 'the client got legacy (PascalCase)')
  t.same([...first.headers.keys()].filter(h => h.startsWith('x-gateway-') && !['x-gateway-route', 'x-gateway-target'].includes(h)), [], 'no shadow header reaches the client')
  await eventually('first comparison', async () => await settled(w.gw, 'users.get') === 1)
  t.match((await diffs(w.gw, 'users.get')).counts, { match: 1, mismatch: 0, error: 0, shed: 0 }, 'casing alone is no mismatch')
  const calls = w.lambdaCalls()
  t.equal(calls.length, 1, 'the Lambda got the shadow call')
  t.equal(calls[0]?.headers['x-gateway-shadow'], '1', 'marked as shadow')

  // 2. An ignored path differs: still a match.
  w.mode({ patch: { hiredOn: '2012-11-07T00:00:00.000Z' } })
  await getUser(w.gw, 3)
  await eventually('second comparison', async () => await settled(w.gw, 'users.get') === 2)
  t.match((await diffs(w.gw, 'users.get')).counts, { match: 2, mismatch: 0 }, '$.hiredOn is ignored')

  // 3. A deliberately different field: a mismatch with its path and both values.
  w.mode({ patch: { department: 'People & Culture' }, randomField: 'traceToken' })
  const third = await getUser(w.gw, 3)
  t.equal(third.body.Department, 'HR', 'the client still got legacy\'s answer')
  await eventually('third comparison', async () => await settled(w.gw, 'users.get') === 3)
  const d = await diffs(w.gw, 'users.get')
  t.match(d.counts, { match: 2, mismatch: 1, error: 0 })
  t.equal(d.mismatches.length, 1)
  const m = d.mismatches[0]!
  t.match(m, { method: 'GET', url: '/api/users/3', primary: 'legacy', legacy: { status: 200 }, lambda: { status: 200 } })
  t.same(m.diffs.find(x => x.path === '$.department'), { path: '$.department', legacy: 'HR', lambda: 'People & Culture' }, 'path and both values')
  t.match(m.diffs.find(x => x.path === '$.tracetoken'), { path: '$.tracetoken', absent: 'legacy', lambda: '[redacted]' }, 'a field only the Lambda has; its secret-looking value redacted')
  t.match(m.lambda.body, /"traceToken":"\[redacted\]"/, 'secrets redacted in the stored body too')

  // 4. gatewayctl diffs: the same, for humans and as JSON.
  const env = { GATEWAY_ADMIN_URL: w.gw.adminUrl, GATEWAY_ADMIN_TOKEN: WIRED_ADMIN_TOKEN }
  const human = await runCli(['diffs', 'users.get'], env)
  t.equal(human.code, 0, human.stderr)
  t.match(human.stdout, /^users\.get: shadow on; 2 match, 1 mismatch, 0 error, 0 shed$/m)
  t.match(human.stdout, /GET \/api\/users\/3\s+legacy\s+\$\.department\s+"HR"\s+"People & Culture"/)
  t.match(human.stdout, /\$\.tracetoken\s+\(absent\)\s+"\[redacted\]"/)
  const json = await runCli(['diffs', 'users.get', '--json'], env)
  t.same(JSON.parse(json.stdout).mismatches[0].diffs, m.diffs, '--json prints the admin answer')
  const unknown = await runCli(['diffs', 'nope.get'], env)
  t.equal(unknown.code, 5, 'unknown route: exit 5')

  // 5. The metric, per route and result.
  const lines = await metricLines(w.gw, 'gateway_shadow_comparisons_total')
  t.ok(lines.includes('gateway_shadow_comparisons_total{route="users.get",result="match"} 2'), lines.join('\n'))
  t.ok(lines.includes('gateway_shadow_comparisons_total{route="users.get",result="mismatch"} 1'), lines.join('\n'))
  const requests = await metricLines(w.gw, 'gateway_requests_total')
  t.same(requests, ['gateway_requests_total{route="users.get",target="legacy",status="200"} 3'], 'only the 3 client requests are counted as requests')

  // 6. The diffs route needs the token, like every /admin call.
  const noToken = await fetch(`${w.gw.adminUrl}/admin/routes/users.get/diffs`)
  t.equal(noToken.status, 401)
  t.equal((await admin(w.gw, '/admin/routes/nope/diffs')).status, 404)
})

t.test('without caseInsensitiveKeys the casing is a mismatch; renames map a renamed field', async t => {
  const w = await startShadowWorld(t, { routes: [route({})] })
  await getUser(w.gw, 2)
  await eventually('comparison', async () => await settled(w.gw, 'users.get') === 1)
  const d = await diffs(w.gw, 'users.get')
  t.equal(d.counts.mismatch, 1, 'PascalCase vs camelCase differ without the mapping')
  t.match(d.mismatches[0]?.diffs.find(x => x.path === '$.FirstName'), { absent: 'lambda', legacy: 'Ben' })

  // The Lambda answers `login` as well as `userName`: legacy's UserName, renamed, matches login.
  const w2 = await startShadowWorld(t, { routes: [route({ caseInsensitiveKeys: true, renames: { UserName: 'login' } })], mode: { patch: { login: 'bmeyer' } } })
  await getUser(w2.gw, 2)
  await eventually('comparison', async () => await settled(w2.gw, 'users.get') === 1)
  const d2 = await diffs(w2.gw, 'users.get')
  t.match(d2.counts, { match: 0, mismatch: 1 })
  t.same(d2.mismatches[0]?.diffs, [{ path: '$.username', absent: 'legacy', lambda: 'bmeyer' }], 'UserName compared as login (equal); only the Lambda\'s own userName is left over')
})
