import t from 'tap'
import { areaOf, summarizeProfile } from '../../bench/lib/cpu-profile.js'
import { breakerFigures } from '../../bench/lib/breaker-timeline.js'

const frame = (functionName: string, url = '', lineNumber = 0): { functionName: string, url: string, lineNumber: number } => ({ functionName, url, lineNumber })

t.test('profile summary: self and inclusive shares of busy samples, idle excluded, areas by folder/package', async t => {
  const profile = {
    startTime: 0,
    endTime: 1,
    nodes: [
      { id: 1, callFrame: frame('(root)'), children: [2, 3, 5] },
      { id: 2, callFrame: frame('(idle)'), hitCount: 100 },
      { id: 3, callFrame: frame('routingHook', 'file:///r/dist/gateway/src/pipeline/routing-hook.js', 9), hitCount: 10, children: [4] },
      { id: 4, callFrame: frame('match', 'file:///r/node_modules/find-my-way/index.js', 1), hitCount: 30 },
      { id: 5, callFrame: frame('writev', ''), hitCount: 60 }
    ]
  }
  const s = summarizeProfile(profile)
  t.equal(s.samples, 100)
  t.same(s.self.map(h => [h.key, h.share]), [['writev :1', 60], ['match node_modules/find-my-way/index.js:2', 30], ['routingHook dist/gateway/src/pipeline/routing-hook.js:10', 10]])
  t.same(s.inclusive.find(h => h.key.startsWith('routingHook'))?.share, 40)
  t.same(s.areas.map(h => h.key).sort(), ['(native)', 'gateway/src/pipeline', 'node_modules/find-my-way'])
  t.equal(areaOf('file:///r/node_modules/@fastify/reply-from/index.js', 'f'), 'node_modules/@fastify/reply-from')
  t.equal(areaOf('node:events', 'emit'), 'node:internal')
})

t.test('breaker figures from polled samples', async t => {
  // fault 1000..5000 ms; open at 1500, probes let 2 requests through while open, closed at 5600
  const states = [[0, 0, 0], [1000, 0, 10], [1500, 2, 30], [2000, 2, 31], [3000, 2, 32], [4000, 2, 32], [5000, 2, 32], [5600, 0, 40], [6000, 0, 50]] as const
  const f = breakerFigures(states.map(([tMs, state, legacyReceived]) => ({ tMs, state, legacyReceived })), 1000, 5000)
  t.equal(f.timeToOpenMs, 500)
  t.equal(f.legacyWhileOpen, 2)
  t.equal(f.openPeriods, 1)
  t.equal(f.timeToCloseMs, 600)
  t.equal(f.openMs, 4100)
  t.equal(breakerFigures([{ tMs: 0, state: 0, legacyReceived: 0 }], 0, 1).timeToOpenMs, null)
})
