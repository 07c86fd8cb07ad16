// The cockpit's admin JSON: requests answered through the gateway land in the per-route ring
// (fed by the request log hook) and show in /admin/cockpit/overview and .../series, behind the
// same bearer token as every /admin call.
import t from 'tap'
import { parseAdminTokens } from '../../gateway/src/ops/admin-auth.js'
import { echoHandler, startOrigin, startTestGateway, testConfig } from '../helpers/gateway.js'

const TOKEN = 'cockpit-series-token-0123456789'

t.test('overview and series count answered requests per route and side', async t => {
  const origin = await startOrigin(t, echoHandler())
  const { tokens } = parseAdminTokens({ GATEWAY_ADMIN_TOKEN: TOKEN })
  const gw = await startTestGateway(t, testConfig({ legacy: { url: origin.url } }), { adminTokens: tokens })
  for (let i = 0; i < 3; i++) t.equal((await fetch(`${gw.url}/api/budgets/${i}`)).status, 200)
  const get = async (path: string, token: string | null = TOKEN): Promise<{ status: number, json: any }> => {
    const res = await fetch(gw.adminUrl + path, { headers: token === null ? {} : { authorization: `Bearer ${token}` } })
    return { status: res.status, json: await res.json() }
  }

  const overview = await get('/admin/cockpit/overview')
  t.equal(overview.status, 200)
  t.same(overview.json.routes, { total: 5, onLambda: 4 })
  t.equal(overview.json.scope, 'this replica')
  const budgets = overview.json.contexts.find((c: { name: string }) => c.name === 'budgets')
  t.same(budgets.routes, ['budgets.get'])
  t.same(budgets.hour, { requests: 3, lambda: 0 })
  t.equal(budgets.t.length, 60, 'one point a minute over the hour')
  t.equal(budgets.lambdaShare.at(-1), 0, 'the current minute: all answered by legacy')
  t.same(overview.json.contexts.map((c: { name: string }) => c.name), ['budgets', 'projects', 'users'])
  t.equal(overview.json.figures['budgets.get'].legacy.rps, 3 / 60)
  t.equal(overview.json.figures['budgets.get'].lambda.rps, 0)
  t.same(overview.json.meta['budgets.get'], { context: 'budgets', steps: null, guard: null })

  const series = await get('/admin/cockpit/routes/budgets.get/series')
  t.equal(series.status, 200)
  const s = series.json.series
  t.equal(s.t.length, 360)
  t.equal(s.legacy.requests.reduce((a: number, b: number) => a + b, 0), 3)
  t.equal(s.legacy.errors.reduce((a: number, b: number) => a + b, 0), 0)
  t.ok(s.legacy.p95Ms.some((v: number | null) => v !== null && v > 0))
  t.same(series.json.lambda, { function: 'Budget-DEV', coldStarts: 0, initMsAvg: null })

  t.equal((await get('/admin/cockpit/routes/nope/series')).status, 404)
  const refused = await get('/admin/cockpit/overview', null)
  t.equal(refused.status, 401)
  t.equal(refused.json.code, 'GW_ERR_ADMIN_UNAUTHORIZED')
})
