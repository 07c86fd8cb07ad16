// The retention sweeper (gateway/src/async/retention-sweeper.ts) over a recording queue: one sweep
// is steps of batchSize with the cutoff now - settledMs, until a short step; it pauses between
// steps, counts what each step deleted, survives a failing step (retried on the next tick), runs
// once at start and then on its timer, and stop() waits for the step in flight.
import t from 'tap'
import { RetentionSweeper } from '../../gateway/src/async/retention-sweeper.js'

const retention = { settledMs: 1000, sweepIntervalMs: 100, batchSize: 10 }

function recordingQueue (backlog: number[]): { calls: Array<{ before: number, limit: number }>, sweepSettled: (before: number, limit: number) => Promise<number> } {
  const calls: Array<{ before: number, limit: number }> = []
  return {
    calls,
    async sweepSettled (before, limit) {
      calls.push({ before, limit })
      const next = backlog.shift()
      if (next === undefined) return 0
      if (next < 0) throw new Error('redis: connection lost')
      return next
    }
  }
}

t.test('one sweep: steps of batchSize at now - settledMs until a short step, each counted', async t => {
  const q = recordingQueue([10, 10, 3, 10])
  const counted: number[] = []
  const s = new RetentionSweeper({ queue: q, retention, now: () => 50_000, onSwept: n => { counted.push(n) } })
  const start = performance.now()
  t.equal(await s.sweep(), 23)
  t.ok(performance.now() - start >= 2, 'paused (at least 1 ms) between steps')
  t.same(q.calls, [{ before: 49_000, limit: 10 }, { before: 49_000, limit: 10 }, { before: 49_000, limit: 10 }])
  t.same(counted, [10, 10, 3])
  t.equal(await s.sweep(), 10, 'the next sweep goes on where the backlog is')
  t.equal(await s.sweep(), 0)
  t.same(counted, [10, 10, 3, 10], 'an empty step is not counted')
})

t.test('concurrent sweep() calls share one run', async t => {
  const q = recordingQueue([10, 5])
  const s = new RetentionSweeper({ queue: q, retention })
  const [a, b] = await Promise.all([s.sweep(), s.sweep()])
  t.equal(a, 15)
  t.equal(b, 15)
  t.equal(q.calls.length, 2)
})

t.test('start: once at once, then on the timer; a failed step is logged and retried; stop waits', async t => {
  const q = recordingQueue([-1, 10, 2])
  const warnings: string[] = []
  const s = new RetentionSweeper({ queue: q, retention, logger: { warn: (o, msg) => { warnings.push(`${msg} ${JSON.stringify(o)}`) } } })
  s.start()
  t.equal(q.calls.length, 1, 'the first sweep starts at once')
  const deadline = Date.now() + 5000
  while (q.calls.length < 3 && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 10))
  await s.stop()
  t.equal(q.calls.length, 3, 'the failure, then the next tick swept the backlog')
  t.match(warnings, [/retention sweep failed.*connection lost/])
  const calls = q.calls.length
  await new Promise(resolve => setTimeout(resolve, retention.sweepIntervalMs * 2))
  t.equal(q.calls.length, calls, 'no sweep after stop')
  s.start()
  t.equal(q.calls.length, calls, 'a stopped sweeper does not start again')
})
