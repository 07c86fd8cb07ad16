// There is no Docker engine on our machines, so `docker compose up` cannot run here. This test
// validates docker-compose.yml with Debian's `docker-compose config -q` (installed by .ci/run)
// and checks the properties the local stack relies on.
import t from 'tap'
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { parse } from 'yaml'

const run = promisify(execFile)

interface ComposeService {
  build?: { context: string, dockerfile: string }
  image?: string
  ports?: string[]
  environment?: Record<string, string>
  volumes?: string[]
  depends_on?: Record<string, { condition: string }>
  healthcheck?: { test: string[] }
}
const compose = parse(readFileSync('docker-compose.yml', 'utf8')) as { services: Record<string, ComposeService> }

t.test('docker-compose config -q accepts the file', async t => {
  const { stdout, stderr } = await run('docker-compose', ['--env-file', '.env.example', 'config', '-q'])
  t.equal(stdout, '', 'no output from a valid file')
  t.equal(stderr, '', 'no warnings')
})

t.test('docker-compose refuses to start without an admin token', async t => {
  const dir = t.testdir({ 'empty.env': '' })
  const env = { ...process.env }
  delete env.GATEWAY_ADMIN_TOKEN
  const err = await run('docker-compose', ['--env-file', join(dir, 'empty.env'), 'config', '-q'], { env })
    .then(() => undefined, (e: Error) => e)
  t.ok(err, 'config fails without GATEWAY_ADMIN_TOKEN')
  t.match(String((err as { stderr?: string }).stderr), /GATEWAY_ADMIN_TOKEN/)
})

t.test('services, healthchecks and start order', async t => {
  t.same(Object.keys(compose.services).sort(), ['gateway', 'gateway-replica', 'lambdas', 'legacy-stub', 'redis'])
  for (const [name, svc] of Object.entries(compose.services)) {
    t.ok(svc.healthcheck?.test?.length, `${name} has a healthcheck`)
  }
  const deps = compose.services.gateway?.depends_on ?? {}
  t.same(deps['legacy-stub'], { condition: 'service_healthy' })
  t.same(deps.lambdas, { condition: 'service_healthy' })
})

t.test('the admin port is published on the host loopback only', async t => {
  const ports = compose.services.gateway?.ports ?? []
  t.ok(ports.includes('127.0.0.1:9090:9090'), 'admin bound to 127.0.0.1')
  t.notOk(ports.some(p => /^(0\.0\.0\.0:)?9090:/.test(p)), 'admin not published on every interface')
})

t.test('config is mounted read-only and the token comes from the environment', async t => {
  const gw = compose.services.gateway!
  t.ok(gw.volumes?.includes('./config:/app/config:ro'), 'config mounted read-only')
  t.match(gw.environment?.GATEWAY_ADMIN_TOKEN, /^\$\{GATEWAY_ADMIN_TOKEN:\?/, 'token interpolated, required, never a literal')
  t.match(readFileSync('.gitignore', 'utf8'), /^\.env$/m, '.env is not committed')
})
