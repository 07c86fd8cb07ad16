// gateway_upstream_concurrency_limit and gateway_upstream_queue_depth on the admin /metrics of a
// gateway started from its config file: the queue depth counts the callers waiting while legacy
// holds a burst, and both caps (legacy's, a Lambda function's) follow a config reload. The label
// values are those of gateway_upstream_inflight.
import t from 'tap'
import type { ServerResponse } from 'node:http'
import { startFakeInvokeApi } from '../fixtures/lambda-target/fake-invoke-api.js'
import { metricValue } from '../helpers/async-wired.js'
import { startOrigin } from '../helpers/gateway.js'
import { admin, eventually, startWiredGateway, wiredConfig, writeConfigFile } from '../helpers/wired-gateway.js'

const CAP = 2
const BURST = 5

t.test('queue depth counts the waiters of a held burst; caps follow a reload', async t => {
  const held: ServerResponse[] = []
  const legacy = await startOrigin(t, (_req, res) => { held.push(res) })
  const lambda = await startFakeInvokeApi({ 'Users-DEV': () => ({ kind: 'result', value: { statusCode: 200, body: 'lambda' } }) })
  t.teardown(() => lambda.close())
  const doc = (legacyCap: number, lambdaCap: number): Record<string, unknown> => wiredConfig({
    legacyUrl: legacy.url,
    lambdaEndpoint: lambda.url,
    legacy: { maxConcurrency: legacyCap, queue: { maxSize: 16, maxWaitMs: 10_000 } },
    routes: [
      { id: 'users.get', methods: ['GET'], path: '/api/users/:id', target: 'lambda', lambda: { function: 'Users-DEV', timeoutMs: 3000, maxConcurrency: lambdaCap } },
      { id: 'budgets.get', methods: ['GET'], path: '/api/budgets/:projectId', target: 'legacy' }
    ]
  })
  const gw = await startWiredGateway(t, { doc: doc(CAP, 50) })
  const scrape = async (): Promise<string> => await (await fetch(`${gw.adminUrl}/metrics`)).text()
  const value = async (name: string, upstream: string): Promise<number | undefined> => metricValue(await scrape(), name, { upstream })

  t.equal(await value('gateway_upstream_concurrency_limit', 'legacy'), CAP, 'legacy cap from the config')
  t.equal(await value('gateway_upstream_queue_depth', 'legacy'), 0, 'nobody waits')

  const burst = Array.from({ length: BURST }, async (_, i) => {
    const res = await fetch(`${gw.url}/api/budgets/${i}`)
    return { status: res.status, body: await res.text() }
  })
  await eventually('legacy holds the cap', () => held.length === CAP)
  await eventually('the rest wait in the queue', async () => await value('gateway_upstream_queue_depth', 'legacy') === BURST - CAP)
  const text = await scrape()
  t.equal(metricValue(text, 'gateway_upstream_inflight', { upstream: 'legacy' }), CAP, 'in flight: the cap')
  t.equal(metricValue(text, 'gateway_upstream_queue_depth', { upstream: 'legacy' }), BURST - CAP, `queue depth: ${BURST} - ${CAP}`)
  // Let everything through as it arrives; the queue drains.
  const releaseAll = setInterval(() => { for (const res of held.splice(0)) res.end('legacy') }, 10)
  t.teardown(() => clearInterval(releaseAll))
  t.same((await Promise.all(burst)).map(r => r.status), Array(BURST).fill(200), 'the whole burst answered')
  t.equal(await value('gateway_upstream_queue_depth', 'legacy'), 0, 'queue drained')

  t.equal((await fetch(`${gw.url}/api/users/1`)).status, 200, 'the Lambda route answers')
  t.equal(await value('gateway_upstream_concurrency_limit', 'lambda:Users-DEV'), 50, 'the function\'s cap from its route')
  t.equal(await value('gateway_upstream_queue_depth', 'lambda:Users-DEV'), 0, 'nobody waits for the function')

  writeConfigFile(gw.configPath, doc(5, 7))
  const reloaded = await admin(gw, '/admin/reload', { body: { reason: 'raise the legacy cap' } })
  t.equal(reloaded.status, 200, 'reload applied')
  await eventually('the caps follow the reload', async () => {
    const after = await scrape()
    return metricValue(after, 'gateway_upstream_concurrency_limit', { upstream: 'legacy' }) === 5 &&
      metricValue(after, 'gateway_upstream_concurrency_limit', { upstream: 'lambda:Users-DEV' }) === 7
  })
  t.pass('legacy 2 -> 5, lambda:Users-DEV 50 -> 7')
})
