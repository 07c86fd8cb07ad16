// The local runtime hands each invocation its X-Ray trace header as Lambda does: the Invoke
// request's X-Amzn-Trace-Id becomes the handler's _X_AMZN_TRACE_ID (per invocation, not at
// init); without one a new trace starts, sampled only for a function with Tracing: Active.
import t from 'tap'
import { startTestLambdaRuntime } from '../helpers/lambda-runtime.js'

async function invoke (url: string, fn: string, headers: Record<string, string> = {}, type = 'RequestResponse'): Promise<{ status: number, body: { trace: string | null, atInit: string | null } }> {
  const res = await fetch(`${url}/2015-03-31/functions/${fn}/invocations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-amz-invocation-type': type, ...headers },
    body: '{}'
  })
  const text = await res.text()
  return { status: res.status, body: text === '' ? { trace: null, atInit: null } : JSON.parse(text) }
}

const ROOT = 'Root=1-674f1a2b-0123456789abcdef01234567'
const NEW_TRACE = /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=([01])$/

t.test('the caller\'s trace header reaches the handler, each invocation its own', async t => {
  const runtime = await startTestLambdaRuntime(t)
  const first = await invoke(runtime.url, 'TracedPassThrough-TEST', { 'x-amzn-trace-id': `${ROOT};Parent=00f067aa0ba902b7;Sampled=1` })
  t.equal(first.status, 200)
  t.equal(first.body.trace, `${ROOT};Parent=00f067aa0ba902b7;Sampled=1`)
  t.equal(first.body.atInit, null, 'init code runs outside any invocation\'s trace')
  const second = await invoke(runtime.url, 'TracedPassThrough-TEST', { 'x-amzn-trace-id': `${ROOT};Parent=1111111111111111;Sampled=0` })
  t.equal(second.body.trace, `${ROOT};Parent=1111111111111111;Sampled=0`, 'the warm environment sees the new invocation\'s header')
})

t.test('without a (usable) header: a new trace, sampled only with active tracing', async t => {
  const runtime = await startTestLambdaRuntime(t)
  const passThrough = await invoke(runtime.url, 'TracedPassThrough-TEST')
  t.equal(NEW_TRACE.exec(passThrough.body.trace ?? '')?.[1], '0')
  const active = await invoke(runtime.url, 'TracedActive-TEST', { 'x-amzn-trace-id': 'Root=garbage' })
  t.equal(NEW_TRACE.exec(active.body.trace ?? '')?.[1], '1')
  const seconds = parseInt((active.body.trace ?? '').slice(7, 15), 16)
  t.ok(Math.abs(seconds - Date.now() / 1000) < 60, 'the root carries the epoch second, as X-Ray requires')
})

t.test('Event invocations carry it too', async t => {
  const runtime = await startTestLambdaRuntime(t)
  const accepted = await invoke(runtime.url, 'TracedPassThrough-TEST', { 'x-amzn-trace-id': `${ROOT};Parent=00f067aa0ba902b7;Sampled=1` }, 'Event')
  t.equal(accepted.status, 202)
})
