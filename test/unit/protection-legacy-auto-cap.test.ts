// Protection with legacy.maxConcurrency: auto builds the legacy limiter on the latency-gradient
// cap (starts at 4, grows on fast busy windows); the mode is fixed at start: a reload to a number
// caps the gradient, a reload of a fixed-cap gateway to auto keeps its number.
import t from 'tap'
import { Protection } from '../../gateway/src/protection/protection.js'
import { ManualClock, flush } from '../helpers/protection-clock.js'

const queue = { maxSize: 100, maxWaitMs: 60_000 }

async function busyWindows (p: Protection, clock: ManualClock, windows: number): Promise<void> {
  for (let w = 0; w < windows; w++) {
    const n = p.legacy.limiter.limit
    const held = await Promise.all(Array.from({ length: n }, () => p.legacy.limiter.acquire()))
    clock.advance(150) // every call 150 ms, the window (100 ms) full
    for (const release of held) release()
    await flush()
  }
}

t.test('auto starts small and grows while legacy answers as fast as before', async t => {
  const clock = new ManualClock()
  const p = new Protection({ maxConcurrency: 'auto', queue }, { clock })
  t.teardown(() => p.close())
  t.equal(p.legacy.limiter.limit, 4, 'initial cap 4')
  await busyWindows(p, clock, 3)
  t.ok(p.legacy.limiter.limit >= 16, `cap ${p.legacy.limiter.limit} after three busy, unqueued windows`)

  p.reconfigureLegacy({ maxConcurrency: 10, queue })
  t.equal(p.legacy.limiter.limit, 10, 'a number on reload caps the gradient')
  p.reconfigureLegacy({ maxConcurrency: 'auto', queue })
  t.ok(p.legacy.limiter.limit > 10, 'back to auto: the gradient alone again')
})

t.test('a gateway started with a fixed cap keeps it when a reload says auto', async t => {
  const p = new Protection({ maxConcurrency: 8, queue })
  t.teardown(() => p.close())
  p.reconfigureLegacy({ maxConcurrency: 'auto', queue })
  t.equal(p.legacy.limiter.limit, 8)
  p.reconfigureLegacy({ maxConcurrency: 6, queue })
  t.equal(p.legacy.limiter.limit, 6)
  p.reconfigureLegacy({ maxConcurrency: 'auto', queue })
  t.equal(p.legacy.limiter.limit, 6, 'the last number given, never an unbounded cap')
})
