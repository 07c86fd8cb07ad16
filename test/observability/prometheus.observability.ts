// The dashboard and the alert rules against a real Prometheus (Debian's prometheus package; not
// part of `npm test`, which needs only Node: `npm run test:observability`, a suite of .ci/run).
// - promtool: the shipped rules' unit tests, the shipped configuration, and `check metrics` on each
//   live gateway's /metrics after traffic (process metrics on) with no finding at all.
// - Prometheus scrapes three gateways and a closed port every second with deploy/prometheus/alerts.yml
//   loaded, while traffic exercises legacy, Lambda (cold starts), rejections, shadow, the guard,
//   async (delivered, dead, stalled), a forced-open breaker and distributed degraded mode. Then
//   EVERY PromQL expression of deploy/grafana/strangler-gateway.json (Grafana's variables replaced:
//   $job and $instance by their "All" value .+, $__rate_interval by 5m so the window spans the whole
//   run) and EVERY alert expression is evaluated through /api/v1/query and must return at least one
//   sample, a finite one for the dashboard: a misspelt metric or label returns nothing and fails.
// - The legacy breaker forced open through the admin API takes LegacyBreakerOpen from pending to
//   firing after the shipped rule's `for: 1m` (watched from the force-open, bounded at 85 s), and every alert of the
//   file is active by then.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { parse } from 'yaml'
import { billingBody } from '../helpers/async.js'
import { metricValue } from '../helpers/async-wired.js'
import { rawRequest } from '../helpers/gateway.js'
import { closedPort } from '../helpers/ops-cli.js'
import { promtool, startPrometheus } from '../helpers/prometheus.js'
import type { PromAlert, RunningPrometheus, Sample } from '../helpers/prometheus.js'
import { admin, eventually } from '../helpers/wired-gateway.js'
import { startObservedWorld } from './observability-world.js'
import type { ObservedWorld } from './observability-world.js'

const PROM_DIR = fileURLToPath(new URL('../../deploy/prometheus/', import.meta.url))
const RULES_FILE = `${PROM_DIR}alerts.yml`
const DASHBOARD_FILE = fileURLToPath(new URL('../../deploy/grafana/strangler-gateway.json', import.meta.url))
const BREAKER_FOR_MS = 60_000

interface Rule { alert: string, expr: string, for?: string }
const rules = (parse(readFileSync(RULES_FILE, 'utf8')) as { groups: Array<{ rules: Rule[] }> }).groups.flatMap(g => g.rules)

/** Every `expr` of the dashboard's panels (rows included), with the panel title. */
function dashboardExprs (): Array<{ panel: string, expr: string }> {
  const out: Array<{ panel: string, expr: string }> = []
  const walk = (panels: Array<{ title: string, panels?: unknown[], targets?: Array<{ expr?: string }> }>): void => {
    for (const p of panels) {
      for (const target of p.targets ?? []) if (typeof target.expr === 'string') out.push({ panel: p.title, expr: target.expr })
      walk((p.panels ?? []) as typeof panels)
    }
  }
  walk((JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8')) as { panels: Parameters<typeof walk>[0] }).panels)
  return out
}

/** Grafana's variables as a dashboard over the whole test run would send them. */
const substitute = (expr: string): string =>
  expr.replaceAll('$__rate_interval', '5m').replaceAll('$job', '.+').replaceAll('$instance', '.+')

const sleep = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }

async function get (url: string, headers: Record<string, string> = {}): Promise<number> {
  const res = await fetch(url, { headers })
  await res.arrayBuffer()
  return res.status
}

async function postBilling (gatewayUrl: string, i: number): Promise<string> {
  const res = await fetch(`${gatewayUrl}/api/billings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: billingBody(i) })
  if (res.status !== 202) throw new Error(`POST /api/billings: ${res.status} ${await res.text()}`)
  return res.headers.get('location') ?? ''
}

async function jobState (gatewayUrl: string, location: string): Promise<string> {
  const res = await fetch(gatewayUrl + location)
  return (await res.json() as { state: string }).state
}

async function coldStarts (w: ObservedWorld): Promise<number> {
  const text = await (await fetch(`${w.main.adminUrl}/metrics`)).text()
  return metricValue(text, 'gateway_lambda_cold_starts_total', {}) ?? 0
}

/** Low-rate traffic on every gateway until stopped, so every rate window keeps moving. */
function background (w: ObservedWorld): { stop: () => Promise<void> } {
  const state = { running: true }
  const loop = (async () => {
    for (let i = 0; state.running; i++) {
      const id = String(1 + (i % 5))
      await Promise.allSettled([
        get(`${w.main.url}/api/profiles/${id}`),
        get(`${w.main.url}/api/users/${id}`, { 'x-user-id': `bg-${i % 40}` }),
        get(`${w.main.url}/api/budgets/${id}`),
        get(`${w.broken.url}/api/budgets/${id}`),
        get(`${w.degraded.url}/api/budgets/${id}`)
      ])
      await sleep(250)
    }
  })()
  return { stop: async () => { state.running = false; await loop } }
}

interface AlertWatch { pendingSeenAt: number | undefined, firing: { at: number, activeAt: number } | undefined }

/** Polls /api/v1/alerts every 250 ms from now until the alert fires or `deadline` (epoch ms). */
async function watchAlert (prom: RunningPrometheus, mine: (a: PromAlert) => boolean, deadline: number): Promise<AlertWatch> {
  let pendingSeenAt: number | undefined
  while (Date.now() < deadline) {
    const alert = (await prom.alerts()).find(mine)
    if (alert?.state === 'pending') pendingSeenAt ??= Date.now()
    if (alert?.state === 'firing') return { pendingSeenAt, firing: { at: Date.now(), activeAt: Date.parse(alert.activeAt) } }
    await sleep(250)
  }
  return { pendingSeenAt, firing: undefined }
}

t.test('promtool: the shipped rules pass their unit tests, the shipped config and rules check', async t => {
  const unit = await promtool(['test', 'rules', 'alerts.test.yml'], { cwd: PROM_DIR })
  t.equal(unit.code, 0, `promtool test rules:\n${unit.stdout}${unit.stderr}`)
  t.match(unit.stdout, /SUCCESS/)
  const config = await promtool(['check', 'config', 'prometheus.yml'], { cwd: PROM_DIR })
  t.equal(config.code, 0, `promtool check config:\n${config.stdout}${config.stderr}`)
  t.match(config.stdout, new RegExp(`SUCCESS: ${rules.length} rules found`))
})

t.test('a real Prometheus scraping gateways under traffic', async t => {
  const suiteStart = Date.now()
  const w = await startObservedWorld(t)
  const down = `127.0.0.1:${await closedPort()}`
  const prom: RunningPrometheus = await startPrometheus(t, [
    'global: { scrape_interval: 1s, evaluation_interval: 1s }',
    `rule_files: [${JSON.stringify(RULES_FILE)}]`,
    'scrape_configs:',
    '  - job_name: strangler-gateway',
    `    static_configs: [{ targets: ${JSON.stringify([w.instances.main, w.instances.broken, w.instances.degraded, down])} }]`
  ].join('\n'))
  t.teardown(() => {
    if (t.passing()) return
    console.error(`--- prometheus log (tail) ---\n${prom.log().slice(-8000)}`)
    console.error(`--- gateway logs (warn+, tail) ---\n${w.logs.slice(-200).join('\n')}`)
  })

  // Prometheus up to speed (scraping, rules evaluated) first, so the alert timing below measures the rule.
  await eventually('Prometheus scrapes the gateways and evaluates the rules', async () =>
    (await prom.query(`up{instance="${w.instances.broken}"} == 1`)).length === 1 &&
    (await prom.rules()).flatMap(g => g.rules).every(r => r.health === 'ok'), 20_000)

  // The broken gateway: one job, one attempt, legacy refuses the connection: dead-lettered.
  t.equal(await get(`${w.broken.url}/api/budgets/1`), 502, 'legacy unreachable: 502')
  const deadJob = await postBilling(w.broken.url, 1)
  await eventually('the broken gateway dead-letters its job', async () => await jobState(w.broken.url, deadJob) === 'dead', 10_000)
  const forced = await admin(w.broken, '/admin/breakers/legacy/open', { body: { reason: 'observability test' } })
  t.equal(forced.status, 200, 'legacy breaker forced open')
  const openedAt = Date.now()
  const watch = watchAlert(prom, a => a.labels.alertname === 'LegacyBreakerOpen' && a.labels.instance === w.instances.broken && a.labels.breaker === 'legacy', openedAt + BREAKER_FOR_MS + 25_000)
  watch.catch(() => {}) // awaited (and its error reported) in the breaker subtest below
  const waiting = await postBilling(w.broken.url, 2)
  t.equal(await get(`${w.broken.url}/api/budgets/1`), 503, 'breaker open: 503')

  const bg = background(w)
  try {
    // Main gateway: one cold start, scraped; later bursts start more environments (a series that
    // appears already at 1 shows no rate, so the init-duration histogram needs the later ones).
    t.equal(await get(`${w.main.url}/api/profiles/1`), 200, 'the Lambda-only route answers')
    await sleep(2500)
    // The guarded rollout mismatches on every shadow comparison until the guard rolls it back.
    let n = 0
    await eventually('the guard rolls users.get back', async () => {
      await Promise.all(Array.from({ length: 4 }, async () => await get(`${w.main.url}/api/users/${1 + (n % 5)}`, { 'x-user-id': `u-${n++}` })))
      return (await admin(w.main, '/admin/routes/users.get')).json.route.target === 'legacy'
    }, 30_000)
    // A burst over legacy's cap (2 in flight, queue 2, stub latency 40 ms) is shed.
    const burst = await Promise.all(Array.from({ length: 30 }, async (_, i) => await get(`${w.main.url}/api/budgets/${1 + (i % 3)}`)))
    t.ok(burst.filter(s => s === 503).length > 0, `burst shed: ${burst.filter(s => s === 503).length} of 30 got 503`)
    t.equal((await rawRequest(`${w.main.url}/api/budgets/%2e%2e/x`)).status, 400, 'a bad path is rejected')
    // 24 calls held 300 ms each need more execution environments than the traffic so far used
    // at once (at most ~10 calls in flight): cold starts after their series was first scraped.
    const coldBefore = await coldStarts(w)
    w.lambdaMode({ delayMs: 300 })
    await Promise.all(Array.from({ length: 24 }, async (_, i) => await get(`${w.main.url}/api/profiles/${1 + (i % 5)}`)))
    w.lambdaMode({})
    const coldAfter = await coldStarts(w)
    t.ok(coldAfter > coldBefore, `a burst started new environments: cold starts ${coldBefore} -> ${coldAfter}`)
    const delivered = await Promise.all([1, 2, 3].map(async i => await postBilling(w.main.url, 10 + i)))
    for (const location of delivered) await eventually('main delivers its job', async () => await jobState(w.main.url, location) === 'delivered', 15_000)
    t.equal(await jobState(w.broken.url, waiting), 'queued', 'the second job waits behind the open breaker')

    await t.test('promtool check metrics finds nothing on any gateway\'s /metrics after traffic', async t => {
      for (const [name, gw] of Object.entries({ main: w.main, broken: w.broken, degraded: w.degraded })) {
        const text = await (await fetch(`${gw.adminUrl}/metrics`)).text()
        t.match(text, /^nodejs_active_handles\{/m, `${name}: process metrics are on`)
        t.match(text, /^gateway_requests_total\{/m, `${name}: has request series`)
        const run = await promtool(['check', 'metrics'], { stdin: text })
        t.equal(run.code, 0, `${name}: promtool check metrics exit code`)
        t.equal((run.stdout + run.stderr).trim(), '', `${name}: no finding`)
      }
    })

    const dashboard = dashboardExprs()
    await t.test('every dashboard expression and every alert expression returns data', async t => {
      const checks = [
        ...dashboard.map(d => ({ what: `dashboard "${d.panel}"`, expr: substitute(d.expr), finite: true })),
        ...rules.map(r => ({ what: `alert ${r.alert}`, expr: r.expr, finite: false }))
      ]
      for (const c of checks) t.notMatch(c.expr, /\$/, `${c.what}: no variable left unsubstituted`)
      // Scrapes and evaluations run every second: give the last traffic a few rounds to show.
      const results = new Map<string, Sample[]>()
      const ok = (c: typeof checks[number]): boolean => {
        const samples = results.get(c.expr) ?? []
        return samples.length > 0 && (!c.finite || samples.some(s => Number.isFinite(Number(s.value[1]))))
      }
      const deadline = Date.now() + 30_000
      do {
        for (const c of checks) if (!ok(c)) results.set(c.expr, await prom.query(c.expr))
        if (checks.every(ok)) break
        await sleep(1000)
      } while (Date.now() < deadline)
      for (const c of checks) {
        const samples = results.get(c.expr) ?? []
        t.ok(ok(c), `${c.what}: ${samples.length} series${c.finite ? ', a finite value' : ''}`, { expr: c.expr, samples: samples.slice(0, 3) })
      }
      t.comment(`${dashboard.length} dashboard expressions and ${rules.length} alert expressions evaluated; all returned data`)
      for (const v of [{ name: 'job', match: 'gateway_requests_total' }, { name: 'instance', match: 'gateway_requests_total{job=~".+"}' }]) {
        t.ok((await prom.labelValues(v.name, v.match)).length > 0, `dashboard variable ${v.name}: label_values(${v.match}, ${v.name}) has values`)
      }
    })

    await t.test('the rules are loaded from the shipped file and evaluate without error', async t => {
      await eventually('every rule evaluated once', async () => (await prom.rules()).flatMap(g => g.rules).every(r => r.health === 'ok'), 10_000)
      const loaded = (await prom.rules()).flatMap(g => g.rules)
      t.same(loaded.map(r => r.name).sort(), rules.map(r => r.alert).sort())
      for (const r of loaded) t.equal(r.health, 'ok', `${r.name}: ${r.lastError ?? 'ok'}`)
    })

    await t.test('a forced-open legacy breaker: LegacyBreakerOpen pending, then firing after its for: 1m', async t => {
      t.equal(rules.find(r => r.alert === 'LegacyBreakerOpen')?.for, '1m', 'the shipped rule waits 1 minute')
      const { pendingSeenAt, firing } = await watch
      t.ok(pendingSeenAt !== undefined, `pending seen ${pendingSeenAt === undefined ? 'never' : `${((pendingSeenAt - openedAt) / 1000).toFixed(1)} s after the force-open`}`)
      t.ok(firing !== undefined, 'firing before the deadline (for + 25 s)')
      if (firing === undefined || pendingSeenAt === undefined) return
      const pendingFor = firing.at - firing.activeAt
      t.ok(firing.activeAt - openedAt < 10_000, `pending from ${((firing.activeAt - openedAt) / 1000).toFixed(1)} s after the force-open (scrape + evaluation)`)
      t.ok(pendingFor >= BREAKER_FOR_MS, `pending ${(pendingFor / 1000).toFixed(1)} s before firing: not before the for`)
      t.ok(firing.at - openedAt <= BREAKER_FOR_MS + 10_000, `firing ${((firing.at - openedAt) / 1000).toFixed(1)} s after the force-open: within for + 10 s`)
      t.comment(`LegacyBreakerOpen: pending at +${((firing.activeAt - openedAt) / 1000).toFixed(1)} s, firing at +${((firing.at - openedAt) / 1000).toFixed(1)} s after the force-open`)

      // By now each rule of the file has its condition produced: every alert is active.
      const active = await prom.alerts()
      const state = (name: string): string => active.filter(a => a.labels.alertname === name).map(a => a.state).sort().at(-1) ?? 'inactive'
      for (const name of ['GatewayDown', 'LegacyBreakerOpen', 'GuardRollback', 'AsyncDeadLetters', 'RedisDegraded']) {
        t.equal(state(name), 'firing', `${name} firing (for ${rules.find(r => r.alert === name)?.for ?? '0s'})`)
      }
      for (const name of ['LegacyShedding', 'ShadowMismatchRate', 'AsyncQueueStalled']) {
        t.equal(state(name), 'pending', `${name} pending (its for ${rules.find(r => r.alert === name)?.for ?? ''} is longer than the test)`)
      }
      t.same(active.filter(a => a.labels.alertname === 'GatewayDown').map(a => a.labels.instance), [down], 'GatewayDown names the closed port, not a running gateway')
    })
  } finally {
    await bg.stop()
  }
  t.comment(`suite part against Prometheus took ${((Date.now() - suiteStart) / 1000).toFixed(1)} s`)
})
