// What `npm start` runs (scripts/start-stack.ts startStack), on ephemeral ports: the real stub,
// the real local runtime with the bundled functions of lambdas/template.yaml, the gateway with
// the shipped config/gateway.yaml — the README's curl examples, `gatewayctl status` (spawned)
// against its admin port, then a clean stop.
import t from 'tap'
import { request } from 'undici'
import { startStack } from '../../scripts/start-stack.js'
import { stackEnv } from '../helpers/stack-env.js'
import { bundleCli, spawnCli } from '../helpers/ops-cli.js'

const TOKEN = 'e2e-admin-token-0123456789'

t.test('the shipped stack answers the README examples', async (t) => {
  const stack = await startStack(stackEnv(t.testdir(), TOKEN))
  t.teardown(() => stack.stop())
  const gw = stack.gateway.url

  for (const path of ['/api/users/1', '/API/Users/1']) {
    const res = await request(`${gw}${path}`)
    const body = await res.body.json() as Record<string, unknown>
    t.equal(res.statusCode, 200, `${path} → 200`)
    t.equal(res.headers['x-gateway-route'], 'users.get', path)
    t.equal(res.headers['x-gateway-target'], 'lambda', path)
    t.match(res.headers['x-request-id'], /\S/)
    t.match(body, { id: 1 }, `${path}: the user from the Lambda`)
  }

  const budget = await request(`${gw}/api/Budgets/1`)
  t.equal(budget.statusCode, 200)
  t.equal(budget.headers['x-gateway-route'], 'budgets.get')
  t.equal(budget.headers['x-gateway-target'], 'legacy')
  t.match(await budget.body.json(), { ProjectId: 1 }, 'PascalCase JSON from the legacy stub')

  const projects = await request(`${gw}/api/projects`)
  t.equal(projects.statusCode, 200)
  t.equal(projects.headers['x-gateway-target'], 'lambda')
  t.ok(Array.isArray(await projects.body.json()), 'the project list from the Lambda')

  const ready = await request(`${stack.gateway.adminUrl}/readyz`)
  t.equal(ready.statusCode, 200)
  await ready.body.dump()
  const metrics = await (await request(`${stack.gateway.adminUrl}/metrics`)).body.text()
  t.match(metrics, /gateway_requests_total\{route="users.get",target="lambda",status="200"\} 2/)
  t.match(metrics, /gateway_lambda_cold_starts_total\{function="Users-DEV"\} [1-9]/)

  // The ops CLI as an operator runs it against the stack's admin port.
  const cli = await bundleCli(t)
  const env = { GATEWAY_ADMIN_URL: stack.gateway.adminUrl, GATEWAY_ADMIN_TOKEN: TOKEN }
  const status = await spawnCli(cli, ['status'], env)
  t.equal(status.code, 0, `gatewayctl status exit 0 (${status.stderr})`)
  t.match(status.stdout, /users\.get\s+GET\s+\/api\/users\/:id\s+lambda/)
  t.match(status.stdout, /budgets\.get\s+GET\s+\/api\/budgets\/:projectId\s+legacy/)
  const flip = await spawnCli(cli, ['flip', 'budgets.get', 'lambda', '--reason', 'e2e'], env)
  t.equal(flip.code, 0, `gatewayctl flip exit 0 (${flip.stderr})`)
  const flipped = await request(`${gw}/api/Budgets/1`)
  t.equal(flipped.statusCode, 200)
  t.equal(flipped.headers['x-gateway-target'], 'lambda', 'the flip reached the next request')
  t.match(await flipped.body.json(), { projectId: 1 }, 'the budget from the Lambda')
  const badToken = await spawnCli(cli, ['status'], { ...env, GATEWAY_ADMIN_TOKEN: 'wrong' })
  t.equal(badToken.code, 4, 'a wrong token exits 4')

  await stack.stop()
  t.equal(stack.gateway.app.public.server.listening, false, 'stopped')
})
