// A request the primary side did not answer (here legacy down: the gateway's own 502) is not
// shadowed: there is nothing to compare, and the Lambda is not called for it.
import t from 'tap'
import { diffs, lambdaSection, settled, startShadowWorld } from '../helpers/shadow-world.js'
import { eventually } from '../helpers/wired-gateway.js'

t.test('no shadow call when the primary failed', async t => {
  const w = await startShadowWorld(t, {
    routes: [{ id: 'users.get', methods: ['GET'], path: '/api/users/:id', target: 'legacy', lambda: lambdaSection, shadow: { enabled: true, compare: { caseInsensitiveKeys: true } } }]
  })
  await w.stub!.faults({ down: true })
  const failed = await fetch(`${w.gw.url}/api/users/1`)
  t.equal(failed.status, 502, 'legacy down: the gateway answers 502')
  t.match(await failed.json(), { code: 'GW_ERR_LEGACY_UNAVAILABLE' })
  await w.stub!.faults({ down: false })
  // The next request is shadowed; once it is compared, the failed one would have been too.
  const ok = await fetch(`${w.gw.url}/api/users/1`)
  await ok.arrayBuffer()
  t.equal(ok.status, 200)
  await eventually('the good request compared', async () => (await diffs(w.gw, 'users.get')).counts.match === 1)
  // A shadow of the failed request would have been started first; give it a second to show up.
  const quietUntil = Date.now() + 1000
  while (Date.now() < quietUntil) {
    if (await settled(w.gw, 'users.get') !== 1) break
    await new Promise(resolve => setTimeout(resolve, 50))
  }
  t.same((await diffs(w.gw, 'users.get')).counts, { match: 1, mismatch: 0, error: 0, shed: 0 }, 'one comparison: the good request')
  const failedId = failed.headers.get('x-request-id')
  t.same(w.lambdaCalls().filter(c => c.headers['x-request-id'] === failedId), [], 'the Lambda never got the failed request')
  t.equal(w.lambdaCalls().length, 1)
})
