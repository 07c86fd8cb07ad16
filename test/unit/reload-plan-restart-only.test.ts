// planReload: routes and the legacy shield change at once; listeners, the legacy pool and URL,
// the Lambda clients and the state dir keep their running values and are reported instead.
import t from 'tap'
import { planReload, reloadErrors } from '../../gateway/src/config/reload-plan.js'
import { parseConfig } from '../../gateway/src/config/load-config.js'

const base = `
legacy: { url: http://127.0.0.1:5000, maxConcurrency: 8 }
routes:
  - { id: users.get, methods: [GET], path: /api/users/:id, target: legacy, lambda: { function: Users-DEV } }
`

t.test('reloadable parts apply, restart-only parts are kept and listed', async t => {
  const running = parseConfig(base, { env: {} })
  const next = parseConfig(`
server: { port: 18080 }
legacy: { url: http://10.0.0.1:5000, maxConcurrency: 4, timeoutMs: 1000 }
state: { dir: /elsewhere }
routes:
  - { id: users.get, methods: [GET], path: /api/users/:id, target: lambda, lambda: { function: Users-DEV } }
`, { env: {} })
  const plan = planReload(running, next)
  t.same(plan.restartRequired, ['server', 'state', 'legacy.url'])
  t.equal(plan.config.server.port, running.server.port, 'listener kept')
  t.equal(plan.config.legacy.url, 'http://127.0.0.1:5000', 'legacy URL kept (the pool is built once)')
  t.equal(plan.config.state.dir, running.state.dir)
  t.equal(plan.config.legacy.maxConcurrency, 4, 'the shield cap applies')
  t.equal(plan.config.legacy.timeoutMs, 1000, 'the legacy timeout applies')
  t.equal(plan.config.routes[0]?.target, 'lambda', 'routes apply')
  t.ok(Object.isFrozen(plan.config.routes[0]), 'the result is frozen like a loaded config')
})

t.test('nothing restart-only changed → nothing listed', async t => {
  const running = parseConfig(base, { env: {} })
  t.same(planReload(running, parseConfig(base, { env: {} })).restartRequired, [])
})

t.test('a refused config lists every problem as path: message', async t => {
  let err: unknown
  try { parseConfig('legacy: { url: nope, maxConcurency: 3 }\n', { env: {} }) } catch (e) { err = e }
  t.same(reloadErrors(err).length, 2)
  t.match(reloadErrors(err).join('\n'), /legacy\.maxConcurency: unknown key/)
  t.same(reloadErrors(new Error('disk gone')), ['disk gone'])
})
