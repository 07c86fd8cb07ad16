// Issue 4, Lambda side: a client that hangs up must not free its Lambda permit while the
// function still runs (a Lambda finishes an invocation whose caller left). The invoke is not
// aborted and keeps the permit until it returned; clients that leave while queued are never
// invoked. The local runtime runs the function with reserved concurrency far above the gateway's
// cap, so only the gateway can be what holds it at the cap; its in-flight count is sampled.
import t from 'tap'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Agent, request } from 'undici'
import { startTestLambdaRuntime } from '../helpers/lambda-runtime.js'
import { startTestLegacyStub } from '../helpers/legacy-stub.js'
import { eventually, scratchDir, startWiredGateway, wiredConfig } from '../helpers/wired-gateway.js'

const TEMPLATE = fileURLToPath(new URL('../fixtures/lambda-client-abort/template.yaml', import.meta.url))
const FN = 'Wait-TEST'
const CAP = 4
const FIRST_MS = 2000 // the first CAP invocations run this long, so everyone else queues first
const WORK_MS = 150
const QUEUED_ABORTERS = 60
const NORMAL = 8

interface Outcome { status?: number, aborted: boolean }

async function call (url: string, agent: Agent, leave?: AbortSignal): Promise<Outcome> {
  try {
    const res = await request(url, { dispatcher: agent, signal: leave })
    await res.body.dump()
    return { status: res.statusCode, aborted: false }
  } catch (err) {
    if ((err as Error).name !== 'AbortError' && (err as { code?: string }).code !== 'UND_ERR_ABORTED') throw err
    return { aborted: true }
  }
}

t.test(`Lambda: clients aborting under a burst keep the function <= ${CAP} in flight; queued aborters never invoked`, async t => {
  const stub = await startTestLegacyStub(t, { latencyMs: 1 })
  const log = join(scratchDir(t, 'lambda-abort-'), 'invocations.log')
  writeFileSync(log, '')
  const invocations = (): number => readFileSync(log, 'utf8').split('\n').filter(Boolean).length
  const runtime = await startTestLambdaRuntime(t, { templatePath: TEMPLATE, parameterOverrides: { InvocationLog: log } })
  const route = {
    id: 'wait.get',
    methods: ['GET'],
    path: '/api/wait',
    target: 'lambda',
    lambda: { function: FN, timeoutMs: 5000, maxConcurrency: CAP, queue: { maxSize: 256, maxWaitMs: 10_000 } }
  }
  const gw = await startWiredGateway(t, { doc: wiredConfig({ legacyUrl: stub.url, lambdaEndpoint: runtime.url, routes: [route] }) })
  const agent = new Agent({ connections: 256 })
  t.teardown(() => agent.close())
  const url = (ms: number): string => `${gw.url}/api/wait?ms=${ms}`

  const running = (): number => runtime.functions().find(f => f.name === FN)?.inflight ?? 0
  let maxRunning = 0
  const sampler = setInterval(() => { maxRunning = Math.max(maxRunning, running()) }, 2)
  t.teardown(() => clearInterval(sampler))

  // 1. CAP clients take every permit; their invocations run, then the clients hang up.
  const leaveFirst = new AbortController()
  const first = Array.from({ length: CAP }, () => call(url(FIRST_MS), agent, leaveFirst.signal))
  await eventually('the first invocations running', () => running() === CAP)
  // Only now: the shield is made on first use, with the settings of that first use (the route's).
  const limiter = gw.app.public.protection.lambda(FN).limiter

  // 2. Aborters mixed with normal clients queue at the gateway; then everyone aborting leaves.
  const leave = Array.from({ length: QUEUED_ABORTERS }, () => new AbortController())
  const normal: Array<Promise<Outcome>> = []
  const queued: Array<Promise<Outcome>> = []
  for (let i = 0, a = 0; a < QUEUED_ABORTERS || normal.length < NORMAL; i++) {
    if (i % 8 === 7 && normal.length < NORMAL) normal.push(call(url(WORK_MS), agent))
    else if (a < QUEUED_ABORTERS) queued.push(call(url(WORK_MS), agent, (leave[a++] as AbortController).signal))
  }
  await eventually('every client queued at the gateway', () => limiter.queued === QUEUED_ABORTERS + NORMAL)
  leaveFirst.abort()
  leave.forEach((ac, i) => setTimeout(() => ac.abort(), 20 + (i % 31)))
  const early = await Promise.all([...first, ...queued])
  t.ok(early.every(o => o.aborted), 'every aborting client aborted before an answer')
  t.equal(running(), CAP, 'the abandoned invocations still run and still hold their permits')
  t.equal(limiter.inflight, CAP, 'the gateway still counts them in flight')

  const served = await Promise.all(normal)
  t.same(served.map(o => o.status), Array(NORMAL).fill(200), 'every normal client gets 200')
  await eventually('the gateway idle', () => limiter.inflight === 0 && limiter.queued === 0 && running() === 0)
  clearInterval(sampler)

  const metrics = await (await fetch(`${gw.adminUrl}/metrics`)).text()
  t.comment(`function max in flight ${maxRunning} (cap ${CAP}); ${invocations()} invocations (${CAP} + ${NORMAL} expected)`)
  t.ok(maxRunning <= CAP, `function in flight peaked at ${maxRunning} <= cap ${CAP}`)
  t.equal(invocations(), CAP + NORMAL, 'invoked: the first clients and the normal ones; no queued aborter')
  t.match(metrics, new RegExp(`gateway_upstream_inflight\\{upstream="lambda:${FN}"\\} 0\\n`), 'gateway_upstream_inflight back to 0')
  t.match(metrics, new RegExp(`gateway_breaker_state\\{breaker="lambda:${FN}"\\} 0`), 'client aborts do not trip the breaker')

  // 3. No permit leaked: CAP calls at once all run together.
  maxRunning = 0
  const sample = setInterval(() => { maxRunning = Math.max(maxRunning, running()) }, 2)
  const after = await Promise.all(Array.from({ length: CAP }, () => call(url(WORK_MS), agent)))
  clearInterval(sample)
  t.same(after.map(o => o.status), Array(CAP).fill(200), 'all answered')
  t.equal(maxRunning, CAP, `all ${CAP} permits free: ${CAP} invocations at once`)
})
