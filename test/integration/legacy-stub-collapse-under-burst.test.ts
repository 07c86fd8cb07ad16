// The point of the stub: with nothing in front of it, a burst past its capacity makes latency
// grow (queueing, and slower service as the queue fills) and then fails requests with 503 and
// some 500s, while it never runs more than maxConcurrency requests at once. The same load
// behind a small client-side limit succeeds in full.
import t from 'tap'
import { Agent, request } from 'undici'
import { startTestLegacyStub } from '../helpers/legacy-stub.js'

const WORKERS = 4
const LATENCY_MS = 20
const QUEUE_LIMIT = 32
const BURST = 200

interface Sample { status: number, ms: number, queueMs: number, appMs: number }

async function hit (dispatcher: Agent, url: string): Promise<Sample> {
  const started = performance.now()
  const res = await request(url, { dispatcher })
  await res.body.dump()
  const timing = String(res.headers['server-timing'] ?? '')
  const dur = (name: string): number => Number(new RegExp(`${name};dur=([\\d.]+)`).exec(timing)?.[1] ?? 0)
  return { status: res.statusCode, ms: performance.now() - started, queueMs: dur('queue'), appMs: dur('app') }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0
const p90 = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)] ?? 0

t.test('a burst with no protection: latency grows, then 503/500, never more than maxConcurrency in flight', async t => {
  const stub = await startTestLegacyStub(t, { maxConcurrency: WORKERS, latencyMs: LATENCY_MS, queueLimit: QUEUE_LIMIT })
  const dispatcher = new Agent({ connections: BURST + 10 })
  t.teardown(() => dispatcher.close())
  const url = `${stub.url}/api/Users/1`

  const baseline: Sample[] = []
  for (let i = 0; i < 5; i++) baseline.push(await hit(dispatcher, url))
  t.same(baseline.map(s => s.status), [200, 200, 200, 200, 200])
  await stub.reset()

  const burst = await Promise.all(Array.from({ length: BURST }, async () => await hit(dispatcher, url)))
  const ok = burst.filter(s => s.status === 200)
  const unavailable = burst.filter(s => s.status === 503).length
  const failed = burst.filter(s => s.status === 500).length
  const stats = await stub.stats()
  t.comment(`baseline median ${median(baseline.map(s => s.ms)).toFixed(0)} ms; burst of ${BURST}: ` +
    `${ok.length} ok (p90 ${p90(ok.map(s => s.ms)).toFixed(0)} ms, max queue wait ` +
    `${Math.max(...ok.map(s => s.queueMs)).toFixed(0)} ms), ${unavailable} x 503, ${failed} x 500; ` +
    `maxInflight ${stats.maxInflight}, maxQueued ${stats.maxQueued}`)

  t.equal(ok.length + unavailable + failed, BURST, 'only 200, 503 and 500')
  t.ok(unavailable + failed >= BURST / 10, 'a good part of the burst was refused')
  t.ok(failed >= 1, 'and some refusals are 500s: the box falls over')
  t.equal(failed, Math.floor((unavailable + failed) / 4), 'every 4th refusal is a 500 (README rule)')

  t.equal(stats.maxInflight, WORKERS, 'never more than maxConcurrency in flight')
  t.equal(stats.maxQueued, QUEUE_LIMIT, 'the queue filled up to its limit, no further')
  t.match(stats, { received: BURST, served: BURST, errors: unavailable + failed, refused: unavailable + failed, inflight: 0, queued: 0 })

  // Latency growth, from the stub's own Server-Timing (immune to a busy CPU) and from the client.
  const maxQueueWait = Math.max(...ok.map(s => s.queueMs))
  t.ok(maxQueueWait >= 5 * LATENCY_MS, `queued requests waited up to ${maxQueueWait.toFixed(0)} ms`)
  t.ok(Math.max(...ok.map(s => s.appMs)) > 1.5 * LATENCY_MS, 'service time stretched as the queue filled')
  t.ok(p90(ok.map(s => s.ms)) > 2 * median(baseline.map(s => s.ms)), 'client-side p90 well above the unloaded median')

  // It recovers once the burst is over.
  const after = await hit(dispatcher, url)
  t.equal(after.status, 200)
  t.equal(after.queueMs < LATENCY_MS, true, 'no queue left')
})

t.test('the same stub behind a limit of maxConcurrency requests at a time serves everything', async t => {
  const stub = await startTestLegacyStub(t, { maxConcurrency: WORKERS, latencyMs: LATENCY_MS, queueLimit: QUEUE_LIMIT })
  const dispatcher = new Agent({ connections: WORKERS })
  t.teardown(() => dispatcher.close())
  const statuses: number[] = []
  let next = 0
  const total = 80
  await Promise.all(Array.from({ length: WORKERS }, async () => {
    while (next < total) {
      next++
      statuses.push((await hit(dispatcher, `${stub.url}/api/Projects/1`)).status)
    }
  }))
  t.equal(statuses.filter(s => s === 200).length, total, 'no 5xx')
  const stats = await stub.stats()
  t.match(stats, { received: total, served: total, errors: 0, maxQueued: 0 })
  t.ok(stats.maxInflight <= WORKERS)
})
