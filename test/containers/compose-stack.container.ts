// The container stack really runs: the three images (and the observability profile's Prometheus)
// built, docker-compose.yml (unchanged) brought up on podman, and the stack checked from the host
// through its published ports only.
// `npm run test:containers`; not part of `npm test` (needs podman, debootstrap, docker-compose
// and root). On failure it prints `podman ps -a`, every container's log and the podman service log.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { networkInterfaces, tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { Engine, ROOT, run, until } from './engine.js'
import { ADMIN, GATEWAY, LEGACY, assertPortsFree, buildImages, composeUp, http, mustSucceed, stubFaults, stubStats, waitReady } from './stack.js'

const TOKEN = 'container-test-admin-token-0123456789'
const PROJECT = 'strangerct'
const SERVICES = ['gateway', 'legacy-stub', 'lambdas', 'redis']
const dir = mkdtempSync(join(tmpdir(), 'strangler-containers-'))
const envFile = join(dir, '.env')
writeFileSync(envFile, `GATEWAY_ADMIN_TOKEN=${TOKEN}\nLOG_LEVEL=info\n`)
const ctl = { ...process.env, GATEWAY_ADMIN_URL: ADMIN, GATEWAY_ADMIN_TOKEN: TOKEN }

interface Job { state: string, attempts?: number, result: { status: number } | null }

async function postBilling (key: string, description: string): Promise<{ status: number, location: string | null }> {
  const r = await http(`${GATEWAY}/api/billings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify({ ProjectId: 1, Amount: 12.5, Currency: 'EUR', Description: description, BilledOn: '2026-11-30' })
  })
  return { status: r.status, location: r.headers.get('location') }
}

const job = async (location: string): Promise<Job> => JSON.parse((await http(GATEWAY + location)).body) as Job
const billingsAtLegacy = async (description: string): Promise<number> =>
  (JSON.parse((await http(`${LEGACY}/api/Billings`)).body) as Array<{ Description: string }>).filter(b => b.Description === description).length
const target = async (path: string): Promise<string | null> => (await http(GATEWAY + path)).headers.get('x-gateway-target')

let engine: Engine
const started = Date.now()

t.before(async () => {
  await assertPortsFree([8080, 9090, 5000, 3001, 8081, 9091, 9092])
  engine = await Engine.start(dir, PROJECT)
  await buildImages(engine)
  t.comment(`images built in ${Math.round((Date.now() - started) / 1000)} s`)
  mustSucceed('docker-compose config', await engine.compose(envFile, ['config', '-q']))
  engine.tickHealthchecks()
  await composeUp(engine, envFile)
  await waitReady(ADMIN)
})

t.teardown(async () => {
  if (engine !== undefined) {
    if (!t.passing()) console.error(await engine.diagnostics())
    await engine.stop()
  }
  rmSync(dir, { recursive: true, force: true })
  console.error(`# container test took ${Math.round((Date.now() - started) / 1000)} s`)
})

t.test('every service runs as a non-root user', async t => {
  for (const svc of SERVICES) {
    const id = await engine.podman(['exec', engine.container(svc), 'id', '-u'])
    t.equal(id.code, 0, `${svc}: id -u ran`)
    t.not(id.stdout.trim(), '0', `${svc}: uid ${id.stdout.trim()}`)
  }
})

t.test('the admin port is published on the host loopback only', async t => {
  const port = await engine.podman(['port', engine.container('gateway')])
  t.match(port.stdout, /^9090\/tcp -> 127\.0\.0\.1:9090$/m)
  t.match(port.stdout, /^8080\/tcp -> 0\.0\.0\.0:8080$/m)
  const ip = Object.values(networkInterfaces()).flat().find(a => a?.family === 'IPv4' && !a.internal)?.address
  t.ok(ip, 'the host has a non-loopback address')
  t.equal((await http(`http://${ip}:8080/api/users/1`)).status, 200, 'the gateway answers on it')
  const admin = await http(`http://${ip}:9090/healthz`).then(r => r.status, (e: Error) => e.cause ?? e)
  t.match(String((admin as { code?: string }).code ?? admin), /ECONNREFUSED/, 'the admin port does not')
})

t.test('a Lambda route is answered by the lambdas container, a legacy route by legacy-stub', async t => {
  const before = await stubStats()
  const users = await http(`${GATEWAY}/api/users/1`)
  t.equal(users.status, 200)
  t.equal(users.headers.get('x-gateway-target'), 'lambda')
  t.ok('fullName' in JSON.parse(users.body), 'the Lambda\'s camelCase body (legacy has no fullName)')
  t.equal((await stubStats()).served, before.served, 'legacy served nothing for it')
  const budget = await http(`${GATEWAY}/api/budgets/1`)
  t.equal(budget.status, 200)
  t.equal(budget.headers.get('x-gateway-target'), 'legacy')
  t.match(Object.keys(JSON.parse(budget.body)), [/^[A-Z]/], 'legacy\'s PascalCase body')
  t.equal((await stubStats()).served, before.served + 1, 'legacy-stub served it')
})

t.test('gatewayctl flip with the .env token moves the route; the audit shows it', async t => {
  const flip = await run('npx', ['gatewayctl', 'flip', 'budgets.get', 'lambda', '--reason', 'container test'], { env: ctl, timeoutMs: 300_000 })
  t.equal(flip.code, 0, flip.stderr)
  t.equal(await target('/api/budgets/1'), 'lambda')
  const audit = await run('npx', ['gatewayctl', 'audit'], { env: ctl })
  t.match(audit.stdout, /budgets\.get.*legacy.*lambda.*container test/)
})

t.test('an async billing: 202, delivered, held by legacy once', async t => {
  const res = await postBilling('ct-billing-1', 'container billing 1')
  t.equal(res.status, 202)
  t.match(res.location, /^\/_gateway\/jobs\//)
  const done = await until('job delivered', 60_000, async () => { const j = await job(res.location!); return j.state === 'delivered' ? j : undefined })
  t.equal(done.result?.status, 201)
  t.equal(await billingsAtLegacy('container billing 1'), 1)
})

t.test('restarted gateway: route state, audit and a job queued while legacy was down survive', async t => {
  await stubFaults({ down: true })
  const res = await postBilling('ct-billing-2', 'container billing 2')
  t.equal(res.status, 202)
  await until('a failed delivery attempt', 60_000, async () => { const j = await job(res.location!); return (j.attempts ?? 0) >= 1 ? j : undefined })
  mustSucceed('docker-compose restart gateway', await engine.compose(envFile, ['restart', 'gateway']))
  await waitReady(ADMIN)
  t.equal(await target('/api/budgets/1'), 'lambda', 'the flip survived')
  t.match((await run('npx', ['gatewayctl', 'audit'], { env: ctl })).stdout, /budgets\.get.*container test/, 'the audit survived')
  t.not((await job(res.location!)).state, 'delivered', 'the job is still waiting')
  await stubFaults({ down: false })
  await until('job 2 delivered', 120_000, async () => (await job(res.location!)).state === 'delivered' ? true : undefined)
  t.equal(await billingsAtLegacy('container billing 2'), 1, 'delivered once, after the restart')
})

t.test('compose stop drains: a request in flight completes, the gateway exits 0', async t => {
  mustSucceed('flip back', await run('npx', ['gatewayctl', 'flip', 'budgets.get', 'legacy'], { env: ctl }))
  await stubFaults({ latencyMs: 3000 })
  const inFlight = http(`${GATEWAY}/api/budgets/2`)
  await until('the request at legacy', 10_000, async () => (await stubStats()).inflight >= 1 ? true : undefined, 50)
  const stop = await engine.compose(envFile, ['stop', 'gateway'])
  const res = await inFlight
  t.equal(stop.code, 0, 'compose stop')
  t.equal(res.status, 200, 'the in-flight request completed')
  t.equal(res.headers.get('x-gateway-target'), 'legacy')
  const exit = await engine.podman(['inspect', '--format', '{{.State.ExitCode}}', engine.container('gateway')])
  t.equal(exit.stdout.trim(), '0', 'the gateway exited 0')
  await stubFaults({ latencyMs: 20 })
})

t.test('no GATEWAY_ADMIN_TOKEN: compose and the gateway refuse to start', async t => {
  const empty = join(dir, 'empty.env')
  writeFileSync(empty, '')
  const env = { ...engine.env }
  delete env.GATEWAY_ADMIN_TOKEN
  const config = await run('docker-compose', ['-f', join(ROOT, 'docker-compose.yml'), '--env-file', empty, 'config', '-q'], { env })
  t.not(config.code, 0)
  t.match(config.stderr, /GATEWAY_ADMIN_TOKEN/)
  const gw = await engine.podman(['run', '--rm', '--network', 'none', '-e', 'ADMIN_HOST=0.0.0.0', '-e', 'GATEWAY_HOST=0.0.0.0', `${PROJECT}_gateway`], 60_000)
  t.not(gw.code, 0, 'the gateway exits')
  t.match(gw.stdout + gw.stderr, /GATEWAY_ADMIN_TOKEN/)
})

t.test('distributed mode: two replicas behind Redis share the legacy cap', async t => {
  const distEnv = join(dir, 'distributed.env')
  // The stub takes 64 at once, so only the gateways' shared cap (legacy.maxConcurrency: 8) holds it.
  writeFileSync(distEnv, `GATEWAY_ADMIN_TOKEN=${TOKEN}\nREDIS_URL=redis://redis:6379\nLEGACY_MAX_CONCURRENCY=64\nLEGACY_LATENCY_MS=150\n`)
  mustSucceed('docker-compose down', await engine.compose(envFile, ['down', '-v'], 120_000))
  await composeUp(engine, distEnv, ['--profile', 'distributed'])
  await waitReady(ADMIN)
  await waitReady('http://127.0.0.1:9091')
  t.equal((await http(`${LEGACY}/__stats/reset`, { method: 'POST' })).status < 300, true, 'stub counters reset')
  const statuses = await Promise.all(Array.from({ length: 40 }, async (_, i) => {
    const port = i % 2 === 0 ? 8080 : 8081
    return { port, status: (await http(`http://127.0.0.1:${port}/api/budgets/${1 + (i % 3)}`)).status }
  }))
  const stats = await stubStats()
  t.comment(`maxInflight at legacy ${stats.maxInflight}; ${JSON.stringify(statuses.reduce<Record<string, number>>((m, s) => { m[`${s.port}:${s.status}`] = (m[`${s.port}:${s.status}`] ?? 0) + 1; return m }, {}))}`)
  t.ok(stats.maxInflight <= 8, `in flight at legacy never above the cap of 8 (max ${stats.maxInflight})`)
  t.ok(stats.maxInflight >= 2, 'requests did overlap at legacy')
  t.ok(statuses.some(s => s.port === 8080 && s.status === 200), 'replica 1 served')
  t.ok(statuses.some(s => s.port === 8081 && s.status === 200), 'replica 2 served')
  t.ok(statuses.every(s => s.status === 200 || s.status === 503), 'beyond the cap: 503 (shed), nothing else')
  const metrics = (await http(`${ADMIN}/metrics`)).body
  t.match(metrics, /^gateway_distributed_degraded 0$/m, 'not degraded: the cap came from Redis')
})

t.test('observability profile: Prometheus scrapes the gateway with the alert rules loaded', async t => {
  const PROM = 'http://127.0.0.1:9092'
  mustSucceed('docker-compose down', await engine.compose(envFile, ['down', '-v'], 120_000))
  await composeUp(engine, envFile, ['--profile', 'observability'])
  await waitReady(ADMIN)
  const api = async (path: string): Promise<any> => (JSON.parse((await http(PROM + path)).body) as { data: unknown }).data
  await until('Prometheus ready', 60_000, async () => (await http(`${PROM}/-/ready`)).status === 200 ? true : undefined, 500)
  const uid = await engine.podman(['exec', engine.container('prometheus'), 'id', '-u'])
  t.not(uid.stdout.trim(), '0', `prometheus runs as uid ${uid.stdout.trim()}`)
  const rules = (await api('/api/v1/rules') as { groups: Array<{ rules: Array<{ name: string }> }> }).groups.flatMap(g => g.rules.map(r => r.name))
  t.ok(rules.includes('LegacyBreakerOpen') && rules.includes('GatewayDown'), `the alert rules are loaded (${rules.length})`)
  // scrape_interval 15 s: the first scrape of the gateway target comes within it.
  const target = await until('the gateway target up', 60_000, async () => {
    const targets = (await api('/api/v1/targets') as { activeTargets: Array<{ labels: Record<string, string>, health: string }> }).activeTargets
    return targets.find(x => x.labels.instance === 'gateway:9090' && x.health === 'up')
  }, 1000)
  t.equal(target.labels.job, 'strangler-gateway')
  const up = await api(`/api/v1/query?query=${encodeURIComponent('up{job="strangler-gateway"}')}`) as { result: Array<{ value: [number, string] }> }
  t.equal(up.result[0]?.value[1], '1', 'up{job="strangler-gateway"} is 1')
})
