// gatewayctl (run in-process) against admin servers that misbehave: a hang is a timeout (exit 3),
// a 5xx or a non-JSON answer is exit 1; and the renderings of less common audit entries.
import t from 'tap'
import Fastify from 'fastify'
import type { FastifyInstance } from 'fastify'
import { ADMIN_TOKEN, adminFetch, startAdmin } from '../helpers/ops.js'
import { runCli } from '../helpers/ops-cli.js'

async function fakeAdmin (t: { teardown: (fn: () => unknown) => void }, setup: (app: FastifyInstance) => void): Promise<string> {
  const app = Fastify()
  setup(app)
  await app.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(() => app.close())
  const address = app.server.address()
  return `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`
}

t.test('a hanging admin API times out with exit 3', async t => {
  const url = await fakeAdmin(t, app => {
    app.get('/admin/routes', async () => await new Promise(resolve => setTimeout(() => resolve({ routes: [] }), 3000)))
  })
  const r = await runCli(['status'], { GATEWAY_ADMIN_URL: url, GATEWAY_ADMIN_TOKEN: 'x' }, 200)
  t.same(r, { code: 3, stdout: '', stderr: `gatewayctl: the admin API at ${url} did not answer within 200 ms\n` })
})

t.test('5xx, non-JSON and bare 400 answers', async t => {
  const url = await fakeAdmin(t, app => {
    app.get('/admin/routes', async (_req, reply) => reply.code(500).send({ detail: 'disk on fire' }))
    app.get('/admin/audit', async (_req, reply) => reply.code(200).type('text/html').send('<html>proxy login</html>'))
    app.get('/admin/unused', async (_req, reply) => reply.code(400).send({ detail: 'days: too many' }))
    // gatewayctl reads the route (for its version, sent as If-Match) before it PATCHes it.
    app.get('/admin/routes/:id', async () => ({ route: { id: 'r', version: '"v1"' } }))
    app.patch('/admin/routes/:id', async (_req, reply) => reply.code(503).send(''))
  })
  const env = { GATEWAY_ADMIN_URL: url, GATEWAY_ADMIN_TOKEN: 'x' }
  t.same(await runCli(['routes'], env), { code: 1, stdout: '', stderr: 'gatewayctl: the admin API failed (500): disk on fire\n' })
  t.same(await runCli(['audit'], env), { code: 1, stdout: '', stderr: `gatewayctl: the admin API at ${url} answered 200 with a non-JSON body\n` })
  t.same(await runCli(['unused', '5'], env), { code: 6, stdout: '', stderr: 'gatewayctl: days: too many\n' })
  t.same(await runCli(['shadow', 'r', 'off'], env), { code: 1, stdout: '', stderr: 'gatewayctl: the admin API failed (503): HTTP 503\n' })
})

t.test('status without stats, and audit renderings of reloads and breakers', async t => {
  const h = await startAdmin(t)
  const env = { GATEWAY_ADMIN_URL: h.url, GATEWAY_ADMIN_TOKEN: ADMIN_TOKEN }
  t.same(await runCli(['audit'], env), { code: 0, stdout: 'no audit entries\n', stderr: '' })
  await adminFetch(h.url, '/admin/breakers/legacy/open', { method: 'POST', token: ADMIN_TOKEN })
  h.reloadResult.value = { ok: false, errors: ['a', 'b'] }
  await adminFetch(h.url, '/admin/reload', { method: 'POST', token: ADMIN_TOKEN })
  h.reloadResult.value = { ok: true }
  await adminFetch(h.url, '/admin/reload', { method: 'POST', token: ADMIN_TOKEN, body: { reason: 'new routes' } })
  const audit = await runCli(['audit'], env)
  t.equal(audit.stdout, [
    'TIME                      WHO    ACTION                 ROUTE   CHANGE               REASON',
    '2026-01-01T00:00:00.000Z  admin  config.reload          -       -                    new routes',
    '2026-01-01T00:00:00.000Z  admin  config.reload.refused  -       refused: 2 error(s)  -',
    '2026-01-01T00:00:00.000Z  admin  breaker.open           legacy  closed -> open       -',
    ''
  ].join('\n'))
  const status = await runCli(['status'], env)
  t.match(status.stdout, /billings\.post {2}POST {4}\/api\/billings {3}legacy {8}- {2}.* legacy:open\n$/)
  t.equal((await runCli(['--help'], env)).code, 0)
  t.equal((await runCli([], env)).code, 2)
})
