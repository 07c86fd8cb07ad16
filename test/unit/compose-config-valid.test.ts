// docker-compose.yml is a valid Compose file, checked with npm packages only (no Docker, no
// docker-compose binary): interpolated with .env.example as Compose does, then validated against
// the Compose Specification's JSON schema (test/helpers/compose-file.ts). The schema refuses
// unknown keys and wrong types, so a typo fails here; the negative cases below show it does.
// Running the file with a real engine (`docker-compose config`, `up`) is the container test's job.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { composeErrors, interpolate } from '../helpers/compose-file.js'

interface ComposeService {
  build?: { context: string, dockerfile: string }
  image?: string
  ports?: string[]
  environment?: Record<string, string>
  volumes?: string[]
  depends_on?: Record<string, { condition: string }>
  healthcheck?: { test: string[] }
}
const text = readFileSync('docker-compose.yml', 'utf8')
const compose = parse(text) as { services: Record<string, ComposeService> }

/** KEY=VALUE lines of an env file (comments and blank lines skipped), as Compose reads .env. */
function envFile (path: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line)
    if (m) out[m[1]!] = m[2]!
  }
  return out
}
const exampleEnv = envFile('.env.example')
const resolved = (): Record<string, unknown> => interpolate(parse(text), exampleEnv) as Record<string, unknown>

t.test('the file is valid against the Compose Specification schema (with .env.example)', async t => {
  t.strictSame(composeErrors(resolved()), [])
})

t.test('a typo\'d key or a wrong type is refused', async t => {
  const cases: Array<[string, (doc: any) => void, RegExp]> = [
    ['misspelt service key', doc => { doc.services.gateway.healthchek = doc.services.gateway.healthcheck; delete doc.services.gateway.healthcheck }, /^\/services\/gateway: must NOT have additional properties \(healthchek\)$/],
    ['misspelt top-level key', doc => { doc.volume = doc.volumes; delete doc.volumes }, /^\/: must NOT have additional properties \(volume\)$/],
    ['misspelt healthcheck key', doc => { doc.services.lambdas.healthcheck.retry = 3 }, /^\/services\/lambdas\/healthcheck: must NOT have additional properties \(retry\)$/],
    ['retries as a word', doc => { doc.services.gateway.healthcheck.retries = 'three' }, /^\/services\/gateway\/healthcheck\/retries: must be number$/],
    ['ports as a map', doc => { doc.services['legacy-stub'].ports = { http: 5000 } }, /^\/services\/legacy-stub\/ports: must be array$/],
    ['a duration Compose cannot parse', doc => { doc.services.gateway.stop_grace_period = '15 seconds' }, /^\/services\/gateway\/stop_grace_period: must match format "duration"$/],
    ['a port spec that is not one', doc => { doc.services.gateway.ports.push('localhost:9090:9090') }, /^\/services\/gateway\/ports\/2: must match format "ports"$/],
    ['depends_on with an unknown condition key', doc => { doc.services.gateway.depends_on.lambdas = { condtion: 'service_healthy' } }, /^\/services\/gateway\/depends_on\/lambdas: must NOT have additional properties \(condtion\)$/]
  ]
  for (const [what, mutate, expected] of cases) {
    const doc = resolved()
    mutate(doc)
    const errors = composeErrors(doc)
    t.ok(errors.some(e => expected.test(e)), `${what}: ${errors.find(e => expected.test(e)) ?? JSON.stringify(errors.slice(0, 4))}`)
  }
})

t.test('interpolation: the admin token is required, defaults apply', async t => {
  const doc = resolved() as { services: Record<string, ComposeService> }
  t.equal(doc.services.gateway?.environment?.GATEWAY_ADMIN_TOKEN, exampleEnv.GATEWAY_ADMIN_TOKEN)
  t.equal(doc.services['legacy-stub']?.environment?.LEGACY_MAX_CONCURRENCY, '8', 'LEGACY_MAX_CONCURRENCY unset: its :- default 8')
  const { GATEWAY_ADMIN_TOKEN: _omitted, ...withoutToken } = exampleEnv
  t.throws(() => interpolate(parse(text), withoutToken), { name: 'ComposeInterpolationError', message: /required variable GATEWAY_ADMIN_TOKEN/ }, 'no token: refused, naming it')
  t.throws(() => interpolate(parse(text), { ...withoutToken, GATEWAY_ADMIN_TOKEN: '' }),
    { message: /^services\.gateway\.environment\.GATEWAY_ADMIN_TOKEN: required variable GATEWAY_ADMIN_TOKEN is missing a value: copy \.env\.example/ },
    'an empty token is refused too (:?)')
})

t.test('services, healthchecks and start order', async t => {
  t.same(Object.keys(compose.services).sort(), ['gateway', 'gateway-replica', 'lambdas', 'legacy-stub', 'prometheus', 'redis'])
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
