// burst-shield's legacy utilisation per phase from cumulative stub usage samples: windows run
// between the samples nearest the phase bounds and are timed on the stub's clock.
import t from 'tap'
import { phaseUsage } from '../../bench/lib/legacy-usage.js'
import { usageTable } from '../../bench/scenarios/burst-shield.js'

// A stub of 8 workers × 20 ms (400/s): 100/s for 10 s, then 380/s with every worker busy 60% of
// the time for 10 s, then 100/s again. Samples every 500 ms; the poller's own clock lags the
// stub's by 30 ms and one sample around 20 s is missing.
function samples (): Array<{ tMs: number, value: { clockMs: number, workers: number, busyWorkerMs: number, allBusyMs: number, completed: number } }> {
  const out = []
  let completed = 0
  let busy = 0
  let allBusy = 0
  for (let ms = 0; ms <= 30_000; ms += 500) {
    if (ms !== 20_000) out.push({ tMs: ms + 30, value: { clockMs: 5000 + ms, workers: 8, busyWorkerMs: busy, allBusyMs: allBusy, completed } })
    const inBurst = ms >= 10_000 && ms < 20_000
    completed += 0.5 * (inBurst ? 380 : 100)
    busy += 0.5 * 8 * 1000 * (inBurst ? 0.95 : 0.25)
    allBusy += inBurst ? 500 * 0.6 : 0
  }
  return out
}

t.test('served per second ÷ capacity, occupancy and all-busy share per phase', async t => {
  const phases = [{ name: 'before', fromMs: 0, toMs: 10_000 }, { name: 'burst', fromMs: 10_000, toMs: 20_000 }, { name: 'after', fromMs: 20_000, toMs: 30_000 }]
  const [before, burst, after] = phaseUsage(samples(), phases, 400)
  t.same(before, { phase: 'before', seconds: 10, servedPerS: 100, utilisation: 0.25, occupancy: 0.25, allBusyShare: 0 })
  // The sample at 20 s is missing: the burst ends and the after phase starts at 19.5 s (nearest).
  t.same(burst, { phase: 'burst', seconds: 9.5, servedPerS: 380, utilisation: 0.95, occupancy: 0.95, allBusyShare: 0.6 })
  t.equal(after?.seconds, 10.5)
  t.equal(after?.servedPerS, Math.round(((0.5 * 380 + 10 * 100) / 10.5) * 10) / 10)
  t.equal(after?.allBusyShare, Math.round((300 / 10_500) * 1000) / 1000)
})

t.test('no samples: unknown figures, not zeros', async t => {
  const [u] = phaseUsage([], [{ name: 'burst', fromMs: 0, toMs: 1000 }], 400)
  t.equal(u?.seconds, 0)
  t.ok(Number.isNaN(u?.utilisation))
})

t.test('the utilisation table has one row per contender and phase, in percent', async t => {
  const table = usageTable([{ name: 'gateway', legacyUsage: [{ phase: 'burst', seconds: 15, servedPerS: 313, utilisation: 0.7825, occupancy: 0.8, allBusyShare: 0.41 }] }])
  const row = table.split('\n')[2] ?? ''
  t.match(row, /gateway\s+\|\s+burst\s+\|\s+313\s+\|\s+78\.3\s+\|\s+80\s+\|\s+41\s+\|\s+15/)
})
