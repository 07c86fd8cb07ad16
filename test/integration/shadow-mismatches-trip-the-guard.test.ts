// The shadow dispatcher feeds the rollout guard: during a 50% rollout the requests legacy answers
// are shadowed to the Lambda, every comparison mismatches, and the guard rolls the route back to
// legacy on the mismatch rate (audited as who = guard with the mismatch figures).
import t from 'tap'
import { diffs, mismatchGuardedRoute, startShadowWorld } from '../helpers/shadow-world.js'
import { admin, eventually } from '../helpers/wired-gateway.js'

t.test('shadow mismatches during a rollout trip the guard', async t => {
  const w = await startShadowWorld(t, {
    routes: [mismatchGuardedRoute()],
    mode: { patch: { department: 'Somewhere else' } }
  })
  const targets: string[] = []
  await eventually('rolled back to legacy', async () => {
    const res = await fetch(`${w.gw.url}/api/users/4`)
    await res.arrayBuffer()
    targets.push(res.headers.get('x-gateway-target') ?? '')
    const { json } = await admin(w.gw, '/admin/routes/users.get')
    return json.route.target === 'legacy'
  }, 20_000)
  t.ok(targets.includes('lambda') && targets.includes('legacy'), `both sides answered during the rollout (${targets.length} requests)`)
  const d = await diffs(w.gw, 'users.get')
  t.ok(d.counts.mismatch >= 10, `mismatches counted (${d.counts.mismatch}), from both primaries`)
  t.same([...new Set(d.mismatches.map(m => m.primary))].sort(), ['lambda', 'legacy'], 'each client got one side; the other was shadowed')
  const { json } = await admin(w.gw, '/admin/audit?limit=10')
  const entry = json.entries.find((e: { who: string }) => e.who === 'guard')
  t.match(entry, { who: 'guard', routeId: 'users.get', after: { target: 'legacy' } }, 'audited as the guard')
  t.match(entry.reason, /mismatch/i, `the reason names the mismatch rate: ${entry.reason}`)
})
