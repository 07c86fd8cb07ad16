// Event invocations are accepted with 202 even past reserved concurrency, as Lambda's internal
// queue does, and run when a slot frees; only a full local queue answers 429.
import t from 'tap'
import { InvokeCommand, TooManyRequestsException } from '@aws-sdk/client-lambda'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { json, lambdaClient, startTestLambdaRuntime } from '../helpers/lambda-runtime.js'

const waitFor = async (ok: () => boolean, ms = 5000): Promise<boolean> => {
  for (const end = Date.now() + ms; Date.now() < end;) {
    if (ok()) return true
    await new Promise(resolve => setTimeout(resolve, 20))
  }
  return ok()
}

t.test('a burst of events: every one accepted, every one runs once with its own request id', async t => {
  const runtime = await startTestLambdaRuntime(t)
  const client = lambdaClient(runtime.url)
  const dir = t.testdir()
  const markers = [1, 2, 3, 4, 5].map(n => join(dir, `m${n}`))
  const answers = await Promise.all(markers.map(touch =>
    client.send(new InvokeCommand({ FunctionName: 'Echo-TEST', InvocationType: 'Event', Payload: json({ touch, holdMs: 200 }) }))))
  t.same(answers.map(a => a.StatusCode), [202, 202, 202, 202, 202], 'every event accepted')
  t.ok(await waitFor(() => markers.every(m => existsSync(m))), 'every event ran')
  t.equal(new Set(markers.map(m => readFileSync(m, 'utf8'))).size, 5, 'each with its own request id')
})

t.test('queued events respect the reserved concurrency while they run', async t => {
  const runtime = await startTestLambdaRuntime(t)
  const client = lambdaClient(runtime.url)
  const fn = (): { inflight: number, queuedEvents: number } => runtime.functions().find(f => f.name === 'Slow-TEST')!
  let maxInflight = 0
  const sampler = setInterval(() => { maxInflight = Math.max(maxInflight, fn().inflight) }, 5)
  t.teardown(() => clearInterval(sampler))
  for (let i = 0; i < 4; i++) {
    const res = await client.send(new InvokeCommand({ FunctionName: 'Slow-TEST', InvocationType: 'Event', Payload: json({ ms: 150 }) }))
    t.equal(res.StatusCode, 202)
  }
  t.ok(fn().queuedEvents >= 1, `some wait in the queue (${fn().queuedEvents})`)
  t.ok(await waitFor(() => fn().inflight === 0 && fn().queuedEvents === 0), 'the queue drains')
  t.ok(maxInflight <= 2, `never more than the 2 reserved at once (saw ${maxInflight})`)
})

t.test('a full local event queue answers TooManyRequestsException', async t => {
  const runtime = await startTestLambdaRuntime(t, { eventQueueLimit: 1 })
  const client = lambdaClient(runtime.url)
  const send = (): Promise<unknown> => client.send(new InvokeCommand({ FunctionName: 'Slow-TEST', InvocationType: 'Event', Payload: json({ ms: 300 }) }))
    .catch((e: unknown) => e)
  const results = [await send(), await send(), await send(), await send()]
  t.equal(results.filter(r => (r as { StatusCode?: number }).StatusCode === 202).length, 3, 'two run, one waits')
  t.ok(results[3] instanceof TooManyRequestsException, 'the fourth finds the queue full')
})
