// A flip through the admin API of the product (startGateway) takes effect on the next request,
// and ~20 clients looping across the flip (and back) see no failed or dropped request: every
// response is a 200 from the side the route pointed at when it was routed. Real upstreams: the
// legacy stub and the Lambda local runtime running Budget-DEV from lambdas/template.yaml.
import t from 'tap'
import { REAL_TEMPLATE, startTestLambdaRuntime } from '../helpers/lambda-runtime.js'
import { startTestLegacyStub } from '../helpers/legacy-stub.js'
import { admin, startWiredGateway, wiredConfig } from '../helpers/wired-gateway.js'

const CLIENTS = 20

t.test('flip legacy → lambda → legacy under 20 looping clients: next request follows, nothing fails', async t => {
  const stub = await startTestLegacyStub(t, { maxConcurrency: 32, latencyMs: 2 })
  const runtime = await startTestLambdaRuntime(t, { templatePath: REAL_TEMPLATE, parameterOverrides: { Stage: 'DEV' } })
  const doc = wiredConfig({ legacyUrl: stub.url, lambdaEndpoint: runtime.url, legacy: { maxConcurrency: 32 } })
  // Budget-DEV's reserved concurrency is 10: the gateway holds the other clients in its queue.
  const budget = (doc.routes as Array<Record<string, unknown>>).find(r => r.id === 'budgets.get') as { lambda: Record<string, unknown> }
  budget.lambda.maxConcurrency = 10
  budget.lambda.queue = { maxSize: 64, maxWaitMs: 5000 }
  const gw = await startWiredGateway(t, { doc })

  const statuses = new Map<string, number>()
  const sides = { legacy: 0, lambda: 0 }
  const load = { running: true }
  const client = async (): Promise<void> => {
    while (load.running) {
      const res = await fetch(`${gw.url}/api/budgets/1`)
      const body = await res.text()
      statuses.set(String(res.status), (statuses.get(String(res.status)) ?? 0) + 1)
      const side = res.headers.get('x-gateway-target')
      // Who really answered: legacy speaks PascalCase (ProjectId), the Lambda camelCase (projectId).
      const answered = body.includes('"ProjectId"') ? 'legacy' : body.includes('"projectId"') ? 'lambda' : 'unknown'
      if ((side === 'legacy' || side === 'lambda') && side === answered) sides[side]++
    }
  }
  const clients = Array.from({ length: CLIENTS }, client)
  const pause = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

  await pause(300)
  const flip = await admin(gw, '/admin/routes/budgets.get', { method: 'PATCH', body: { target: 'lambda', reason: 'load test' } })
  t.equal(flip.status, 200)
  const next = await fetch(`${gw.url}/api/budgets/1`)
  t.equal(next.headers.get('x-gateway-target'), 'lambda', 'the next request after the flip goes to the Lambda')
  t.match(await next.json(), { projectId: 1 }, 'answered by the Budget Lambda')
  await pause(300)
  const back = await admin(gw, '/admin/routes/budgets.get', { method: 'PATCH', body: { target: 'legacy', reason: 'roll back' } })
  t.equal(back.status, 200)
  const after = await fetch(`${gw.url}/api/budgets/1`)
  t.equal(after.headers.get('x-gateway-target'), 'legacy', 'the next request after the rollback goes to legacy')
  await after.arrayBuffer()
  await pause(200)
  load.running = false
  await Promise.all(clients)

  const total = [...statuses.values()].reduce((a, b) => a + b, 0)
  t.comment(`${total} requests across two flips: ${JSON.stringify(Object.fromEntries(statuses))}, legacy ${sides.legacy}, lambda ${sides.lambda}`)
  t.same([...statuses.keys()], ['200'], 'every request answered 200')
  t.ok(sides.legacy > 0 && sides.lambda > 0, 'both sides served during the run')
  t.equal(sides.legacy + sides.lambda, total, 'every response was answered by the side it names')
  const audit = await admin(gw, '/admin/audit')
  t.same(audit.json.entries.map((e: { reason: string }) => e.reason), ['roll back', 'load test'])
})
