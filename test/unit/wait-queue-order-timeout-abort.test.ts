// The one priority wait queue both limiters use (protection/wait-queue.ts), on a hand-driven
// clock: who is served first, who is shed, when a waiter gives up and what an abort does.
import t from 'tap'
import { WaitQueue } from '../../gateway/src/protection/wait-queue.js'
import type { AcquireOptions, QueueSettings } from '../../gateway/src/protection/wait-queue.js'
import { ManualClock, flush } from '../helpers/protection-clock.js'

function queueOf (settings: QueueSettings): { queue: WaitQueue<string>, clock: ManualClock, changes: () => number } {
  const clock = new ManualClock()
  let changes = 0
  const queue = new WaitQueue<string>({ name: 'legacy', settings, clock, onChange: () => { changes++ } })
  return { queue, clock, changes: () => changes }
}

/** Queues a caller and records how it ends: the value it was served, or the error's code. */
function waitFor (queue: WaitQueue<string>, label: string, options: AcquireOptions, ends: string[]): void {
  queue.wait(options).then(
    value => { ends.push(`${label}:${value}`) },
    (err: unknown) => { ends.push(`${label}:${(err as { code?: string }).code ?? String(err)}`) }
  )
}

const serveAll = (queue: WaitQueue<string>): void => {
  for (let w = queue.shift(); w; w = queue.shift()) w.resolve('served')
}

t.test('served by class (live > retry > shadow), then route priority, then FIFO', async t => {
  const { queue } = queueOf({ maxSize: 10, maxWaitMs: 1000 })
  const ends: string[] = []
  waitFor(queue, 'shadow', { priorityClass: 'shadow' }, ends)
  waitFor(queue, 'retry', { priorityClass: 'retry' }, ends)
  waitFor(queue, 'live-a', {}, ends)
  waitFor(queue, 'live-p5', { priority: 5 }, ends)
  waitFor(queue, 'live-b', { priorityClass: 'live' }, ends)
  waitFor(queue, 'retry-p9', { priorityClass: 'retry', priority: 9 }, ends)
  t.equal(queue.length, 6)
  serveAll(queue)
  await flush()
  t.same(ends, ['live-p5:served', 'live-a:served', 'live-b:served', 'retry-p9:served', 'retry:served', 'shadow:served'])
  t.equal(queue.length, 0)
})

t.test('no queue rejects with concurrency; a full queue sheds its lowest waiter for a more important one', async t => {
  const none = queueOf({ maxSize: 0, maxWaitMs: 1000 }).queue
  await t.rejects(none.wait({}), { code: 'GW_ERR_CONCURRENCY_LIMIT', reason: 'concurrency' })

  const { queue } = queueOf({ maxSize: 2, maxWaitMs: 1000 })
  const ends: string[] = []
  waitFor(queue, 'live', {}, ends)
  waitFor(queue, 'shadow', { priorityClass: 'shadow' }, ends)
  waitFor(queue, 'shadow-late', { priorityClass: 'shadow' }, ends)
  waitFor(queue, 'retry', { priorityClass: 'retry' }, ends)
  waitFor(queue, 'live-late', {}, ends)
  await flush()
  t.same(ends, ['shadow-late:GW_ERR_SHED_QUEUE_FULL', 'shadow:GW_ERR_SHED_QUEUE_FULL', 'retry:GW_ERR_SHED_QUEUE_FULL'],
    'an equal arrival is refused, a better one sheds the lowest waiter')
  serveAll(queue)
  await flush()
  t.same(ends.slice(3), ['live:served', 'live-late:served'])
})

t.test('a waiter times out after exactly maxWaitMs; a served one leaves no timer', async t => {
  const { queue, clock, changes } = queueOf({ maxSize: 4, maxWaitMs: 250 })
  const ends: string[] = []
  waitFor(queue, 'late', {}, ends)
  clock.advance(100)
  waitFor(queue, 'later', {}, ends)
  clock.advance(149)
  await flush()
  t.same(ends, [], 'nobody gives up at 249 ms')
  clock.advance(1)
  await flush()
  t.same(ends, ['late:GW_ERR_SHED_QUEUE_TIMEOUT'])
  t.equal(queue.length, 1)
  queue.shift()?.resolve('served')
  t.equal(clock.pendingTimers, 0, 'the served waiter\'s timer is cancelled')
  clock.advance(1000)
  await flush()
  t.same(ends, ['late:GW_ERR_SHED_QUEUE_TIMEOUT', 'later:served'])
  t.equal(changes(), 3, 'two joins and one timeout reported; shift is the owner\'s to report')
})

t.test('an abort takes the waiter out with the signal\'s reason and drops its listener', async t => {
  const { queue, clock } = queueOf({ maxSize: 4, maxWaitMs: 250 })
  const controller = new AbortController()
  const gone = queue.wait({ signal: controller.signal })
  const stays = queue.wait({})
  controller.abort(new Error('client gone'))
  await t.rejects(gone, { message: 'client gone' })
  t.equal(queue.length, 1)
  t.equal(clock.pendingTimers, 1, 'only the remaining waiter has a timer')
  queue.shift()?.resolve('served')
  t.equal(await stays, 'served')
})

t.test('reconfigure to a smaller queue sheds the lowest waiters now; takeAll empties it in order', async t => {
  const { queue, clock } = queueOf({ maxSize: 4, maxWaitMs: 250 })
  const ends: string[] = []
  waitFor(queue, 'shadow', { priorityClass: 'shadow' }, ends)
  waitFor(queue, 'live', {}, ends)
  waitFor(queue, 'retry', { priorityClass: 'retry' }, ends)
  queue.reconfigure({ maxSize: 2, maxWaitMs: 250 })
  await flush()
  t.same(ends, ['shadow:GW_ERR_SHED_QUEUE_FULL'])
  t.same(queue.settings, { maxSize: 2, maxWaitMs: 250 })
  const all = queue.takeAll()
  t.same(all.map(w => w.options.priorityClass ?? 'live'), ['live', 'retry'])
  t.equal(queue.length, 0)
  t.equal(clock.pendingTimers, 0, 'taken waiters keep no timer')
  for (const w of all) w.resolve('moved')
  await flush()
  t.same(ends, ['shadow:GW_ERR_SHED_QUEUE_FULL', 'live:moved', 'retry:moved'])
})
