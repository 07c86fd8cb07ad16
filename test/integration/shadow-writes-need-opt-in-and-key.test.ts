// Writes are never shadowed by default: a POST on a shadowed route reaches legacy only (the Lambda
// gets nothing). With `allowWrites` a POST is shadowed only when it carries the route's
// idempotency key; the shadow call carries `x-gateway-shadow: 1`, the key and the same body.
import t from 'tap'
import { lambdaSection, settled, startShadowWorld } from '../helpers/shadow-world.js'
import { eventually } from '../helpers/wired-gateway.js'

const project = (code: string): string => JSON.stringify({ Name: 'Shadowed', Code: code, OwnerId: 1 })

const routes = (shadow: Record<string, unknown>): Array<Record<string, unknown>> => [
  { id: 'projects.create', methods: ['POST'], path: '/api/projects', target: 'legacy', lambda: lambdaSection, shadow: { enabled: true, ...shadow } },
  { id: 'users.get', methods: ['GET'], path: '/api/users/:id', target: 'legacy', lambda: lambdaSection, shadow: { enabled: true } }
]

async function post (gw: { url: string }, body: string, headers: Record<string, string> = {}): Promise<number> {
  const res = await fetch(`${gw.url}/api/projects`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })
  await res.arrayBuffer()
  return res.status
}

t.test('default config: a POST on a shadowed route is never sent to the shadow side', async t => {
  const w = await startShadowWorld(t, { routes: routes({}) })
  t.equal(await post(w.gw, project('PRJ-0901')), 201, 'legacy created the project')
  t.equal(await post(w.gw, project('PRJ-0902'), { 'idempotency-key': 'key-1' }), 201, 'with a key too')
  // A GET on the other shadowed route is shadowed: once it is compared, the POSTs would have been too.
  await fetch(`${w.gw.url}/api/users/1`).then(r => r.arrayBuffer())
  await eventually('the GET shadowed', async () => await settled(w.gw, 'users.get') === 1)
  const calls = w.lambdaCalls()
  t.same(calls.map(c => `${c.method} ${c.path}`), ['GET /api/users/1'], 'the Lambda got the GET only')
  t.equal(await settled(w.gw, 'projects.create'), 0, 'no comparison for the POSTs')
  t.match(await w.stub?.stats(), { received: 3 }, 'legacy got each request once')
})

t.test('allowWrites: only with the idempotency key, and the shadow carries x-gateway-shadow: 1, the key and the body', async t => {
  const w = await startShadowWorld(t, { routes: routes({ allowWrites: true }), mode: { status: 201, body: { id: 99 } } })
  t.equal(await post(w.gw, project('PRJ-0911')), 201, 'no key: served by legacy')
  await fetch(`${w.gw.url}/api/users/1`).then(r => r.arrayBuffer())
  await eventually('the GET shadowed', async () => await settled(w.gw, 'users.get') === 1)
  t.same(w.lambdaCalls().map(c => c.method), ['GET'], 'a write without the key is not shadowed')

  const body = project('PRJ-0912')
  t.equal(await post(w.gw, body, { 'idempotency-key': 'key-912' }), 201, 'legacy got the (buffered) body and created the project')
  await eventually('the POST shadowed', async () => await settled(w.gw, 'projects.create') === 1)
  const shadowPost = w.lambdaCalls().find(c => c.method === 'POST')
  t.match(shadowPost, { path: '/api/projects', headers: { 'x-gateway-shadow': '1', 'idempotency-key': 'key-912' }, body }, 'marked, keyed, same bytes')
  t.match(await w.stub?.stats(), { received: 3 }, 'legacy got each client request once and no shadow')
})
