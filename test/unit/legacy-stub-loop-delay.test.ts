// The stub's event-loop delay: a loop blocked for 60 ms shows as delay past the timer's due time,
// an idle loop as about none (the sampling interval itself is not counted as delay).
import t from 'tap'
import { setTimeout as sleep } from 'node:timers/promises'
import { loopDelayMonitor } from '../../legacy-stub/src/loop-delay.js'

const block = (ms: number): void => {
  const until = performance.now() + ms
  while (performance.now() < until) { /* the loop is busy */ }
}

t.test('a blocked loop shows as delay, an idle one as about none', async t => {
  const idle = loopDelayMonitor(5)
  t.teardown(idle.stop)
  await sleep(100)
  const calm = idle.read()
  t.ok(calm.count > 0)
  t.ok(calm.meanMs < 5, `idle: ${calm.meanMs.toFixed(2)} ms past due`)

  const busy = loopDelayMonitor(5)
  t.teardown(busy.stop)
  await sleep(10)
  block(60)
  await sleep(10)
  const late = busy.read()
  // One interval of ≥ 60 ms among a handful of ~5 ms ones: the mean past due is well above 0.
  t.ok(late.meanMs > 5, `blocked: ${late.meanMs.toFixed(2)} ms past due over ${late.count} samples`)
})
