// `npm start` (scripts/start-stack.ts, driven by scripts/stack-services.ts) and docker-compose.yml
// must start the same services with the same ports, env names and config. This test fails when
// they drift. Redis and the second gateway of the `distributed` profile are compose-only on
// purpose: the no-Docker stack keeps state in-process; so is the `observability` profile's Prometheus.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { STACK_SERVICES } from '../../scripts/stack-services.js'

interface ComposeService { ports?: string[], environment?: Record<string, string>, volumes?: string[], build?: unknown, profiles?: string[] }
const compose = parse(readFileSync('docker-compose.yml', 'utf8')) as { services: Record<string, ComposeService> }
const COMPOSE_ONLY = ['redis', 'gateway-replica', 'prometheus']

/** The container port of a compose port mapping ("127.0.0.1:9090:9090" → 9090). */
function containerPort (mapping: string): number {
  return Number(mapping.split(':').at(-1))
}

t.test('the same service set', async t => {
  const composeNames = Object.keys(compose.services).filter(n => !COMPOSE_ONLY.includes(n)).sort()
  t.same(composeNames, STACK_SERVICES.map(s => s.name).sort())
})

for (const svc of STACK_SERVICES) {
  t.test(`${svc.name}: ports, env names and config`, async t => {
    const c = compose.services[svc.name]
    t.ok(c, 'present in docker-compose.yml')
    const mappings = c?.ports ?? []
    t.same(mappings.map(containerPort).sort(), [...svc.ports].sort(), 'same container ports')
    for (const mapping of mappings) {
      const parts = mapping.split(':')
      t.equal(Number(parts.at(-2)), containerPort(mapping), `${mapping}: published on the same host port as npm start uses`)
    }
    const env = c?.environment ?? {}
    t.same(Object.keys(env).sort(), [...svc.env].sort(), 'same env var names')
    t.equal(env[svc.portEnv], String(svc.ports[0]), `${svc.portEnv} is the contract port`)
    if (svc.config !== undefined) {
      const configEnv = Object.entries(env).find(([, v]) => v.endsWith(svc.config!))
      t.ok(configEnv, `an env var points at ${svc.config} inside the container`)
    }
  })
}

t.test('the gateway reads the config npm start uses, mounted read-only', async t => {
  const gw = compose.services.gateway!
  t.equal(gw.environment?.GATEWAY_CONFIG, '/app/config/gateway.yaml')
  t.ok(gw.volumes?.includes('./config:/app/config:ro'))
})

t.test('the replica of the distributed profile is the gateway on other host ports', async t => {
  const gw = compose.services.gateway!
  const replica = compose.services['gateway-replica']!
  t.same(replica.profiles, ['distributed'], 'started only with --profile distributed')
  t.same(replica.build, gw.build, 'the same image')
  t.same(replica.environment, gw.environment, 'the same environment (REDIS_URL included)')
  t.same(replica.ports, ['8081:8080', '127.0.0.1:9091:9090'], 'its own host ports, admin on loopback')
  t.ok(replica.volumes?.includes('./config:/app/config:ro'), 'the same config')
  t.notOk(replica.volumes?.some(v => v.startsWith('gateway-state:')), 'its own state volume')
})

t.test('the drift check notices a difference', async t => {
  const drifted = { ...compose.services.gateway!.environment, EXTRA_VAR: 'x' }
  const gateway = STACK_SERVICES.find(s => s.name === 'gateway')!
  t.notSame(Object.keys(drifted).sort(), [...gateway.env].sort())
})
