// docker-compose.yml's `observability` profile: a Prometheus built locally from
// deploy/prometheus/Containerfile, started only with --profile observability, scraping the
// gateway's admin port on the compose network with the shipped alert rules loaded, its UI on the
// host's loopback. (The rules and expressions themselves: npm run test:observability.)
import t from 'tap'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'

interface Service { profiles?: string[], build?: { context: string, dockerfile: string }, image?: string, ports?: string[], volumes?: string[], environment?: Record<string, string> }
const compose = parse(readFileSync('docker-compose.yml', 'utf8')) as { services: Record<string, Service>, volumes: Record<string, unknown> }

t.test('Prometheus runs only in the observability profile, built from the local Containerfile', async t => {
  const prom = compose.services.prometheus!
  t.same(prom.profiles, ['observability'])
  t.equal(prom.image, undefined, 'no registry image')
  t.ok(prom.build && existsSync(join(prom.build.context, prom.build.dockerfile)), `${prom.build?.context}/${prom.build?.dockerfile} exists`)
  t.same(prom.ports, ['127.0.0.1:9092:9090'], 'UI and API on the host loopback, clear of the admin ports 9090/9091')
  const profiled = Object.entries(compose.services).filter(([, s]) => s.profiles?.includes('observability')).map(([n]) => n)
  t.ok(profiled.includes('prometheus'))
  t.notOk(compose.services.gateway?.profiles, 'the default stack is unchanged: the gateway has no profile')
})

t.test('it scrapes the gateway admin port with the rules of deploy/prometheus loaded', async t => {
  const prom = compose.services.prometheus!
  const mount = (prom.volumes ?? []).map(v => v.split(':')).find(([, target]) => target === '/etc/prometheus')
  t.same(mount, ['./deploy/prometheus', '/etc/prometheus', 'ro'], 'deploy/prometheus mounted read-only as /etc/prometheus')
  const config = parse(readFileSync('deploy/prometheus/prometheus.yml', 'utf8')) as { rule_files: string[], scrape_configs: Array<{ job_name: string, metrics_path?: string, static_configs: Array<{ targets: string[] }> }> }
  for (const file of config.rule_files) t.ok(existsSync(join('deploy/prometheus', file)), `rule file ${file} is in the mounted directory`)
  const job = config.scrape_configs.find(s => s.job_name === 'strangler-gateway')
  t.ok(job, 'the job name the GatewayDown rule selects')
  const adminPort = compose.services.gateway?.environment?.ADMIN_PORT
  t.same(job?.static_configs.flatMap(s => s.targets), [`gateway:${adminPort}`], 'the gateway service on its admin port')
  t.equal(job?.metrics_path ?? '/metrics', '/metrics')
  t.ok('prometheus-data' in compose.volumes, 'the TSDB is a named volume')
})
