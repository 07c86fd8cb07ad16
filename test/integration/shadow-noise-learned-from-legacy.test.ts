// Noise control: with `noise.enabled` legacy is called a second time per shadowed request and the
// paths that differ between its two answers (a timestamp, a random id) are learned for the route
// and ignored; a real difference is still a mismatch. Without it the same noise is a mismatch.
// Legacy here is a small real server whose answers carry a fresh `GeneratedAt` each time.
import t from 'tap'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { diffs, lambdaSection, settled, startShadowWorld } from '../helpers/shadow-world.js'
import { eventually } from '../helpers/wired-gateway.js'

async function noisyLegacy (t: { teardown: (fn: () => unknown) => void }): Promise<{ url: string, received: () => number }> {
  let received = 0
  const server = createServer((req, res) => {
    received++
    const id = Number(/\/(\d+)$/.exec(req.url ?? '')?.[1])
    res.setHeader('content-type', 'application/json; charset=utf-8')
    res.end(JSON.stringify({ Id: id, UserName: 'bmeyer', Department: 'Finance', GeneratedAt: `${Date.now()}-${Math.random()}` }))
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>(resolve => server.close(() => resolve())))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received: () => received }
}

const route = (id: string, path: string, noise: boolean): Record<string, unknown> => ({
  id,
  methods: ['GET'],
  path,
  target: 'legacy',
  lambda: lambdaSection,
  shadow: { enabled: true, noise: { enabled: noise }, compare: { caseInsensitiveKeys: true } }
})

t.test('a field that differs between two legacy answers is learned and ignored', async t => {
  const legacy = await noisyLegacy(t)
  const w = await startShadowWorld(t, {
    legacyUrl: legacy.url,
    routes: [route('noisy.get', '/api/noisy/:id', true), route('plain.get', '/api/plain/:id', false)],
    // The Lambda answers the same facts with its own generatedAt.
    mode: { status: 200, body: { id: 2, userName: 'bmeyer', department: 'Finance', generatedAt: 'lambda-time' } }
  })
  for (const path of ['/api/noisy/2', '/api/noisy/2', '/api/plain/2']) await fetch(w.gw.url + path).then(r => r.arrayBuffer())
  await eventually('compared', async () => await settled(w.gw, 'noisy.get') === 2 && await settled(w.gw, 'plain.get') === 1)

  const noisy = await diffs(w.gw, 'noisy.get')
  t.same(noisy.noise, ['$.GeneratedAt'], 'learned: the path (legacy spelling) that differed between the two legacy answers')
  t.match(noisy.counts, { match: 2, mismatch: 0 }, 'the noisy field is ignored from the first comparison on')
  t.equal(legacy.received(), 2 * 2 + 1, 'noise control called legacy twice per shadowed request (plain route: once)')

  const plain = await diffs(w.gw, 'plain.get')
  t.same(plain.noise, [], 'nothing learned without noise control')
  t.match(plain.counts, { match: 0, mismatch: 1 })
  t.same(plain.mismatches[0]?.diffs.map(d => d.path), ['$.generatedat'], 'the same noise is a mismatch there')

  // A real difference is still found on the noisy route.
  w.mode({ status: 200, body: { id: 2, userName: 'bmeyer', department: 'Sales', generatedAt: 'lambda-time' } })
  await fetch(w.gw.url + '/api/noisy/2').then(r => r.arrayBuffer())
  await eventually('compared', async () => await settled(w.gw, 'noisy.get') === 3)
  const after = await diffs(w.gw, 'noisy.get')
  t.match(after.counts, { match: 2, mismatch: 1 })
  t.same(after.mismatches[0]?.diffs, [{ path: '$.department', legacy: 'Finance', lambda: 'Sales' }], 'only the real difference')
})
