// A real Prometheus server (Debian's `prometheus` package) and promtool for the observability
// suite: a free port picked by binding port 0 first (closedPort) (Prometheus cannot listen on port 0 and say
// which port it got), a temp TSDB directory, its log kept for a failing test, and the process
// killed at teardown whatever happens. The HTTP API is read as Prometheus documents it
// (https://prometheus.io/docs/prometheus/latest/querying/api/).
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { closedPort } from './ops-cli.js'

interface Tap { teardown: (fn: () => unknown) => void }

export const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus'
export const PROMTOOL_BIN = process.env.PROMTOOL_BIN ?? '/usr/bin/promtool'

export interface ToolRun { code: number | null, stdout: string, stderr: string }

/** Runs promtool with `args` (and `stdin`), bounded by `timeoutMs`. */
export async function promtool (args: string[], o: { stdin?: string, cwd?: string, timeoutMs?: number } = {}): Promise<ToolRun> {
  const child = spawn(PROMTOOL_BIN, args, { cwd: o.cwd, stdio: ['pipe', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => { stdout += c.toString() })
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString() })
  const timer = setTimeout(() => { child.kill('SIGKILL') }, o.timeoutMs ?? 30_000)
  child.stdin.end(o.stdin ?? '')
  const code = await new Promise<number | null>(resolve => { child.once('close', resolve) })
  clearTimeout(timer)
  return { code, stdout, stderr }
}

export interface Sample { metric: Record<string, string>, value: [number, string] }
export interface PromAlert { labels: Record<string, string>, annotations: Record<string, string>, state: 'pending' | 'firing', activeAt: string, value: string }
export interface RuleGroup { name: string, rules: Array<{ name: string, type: string, health: string, lastError?: string, query: string }> }

export interface RunningPrometheus {
  url: string
  /** Everything the process wrote (its log is on stderr). */
  log: () => string
  /** Instant query at now: the vector's samples (a scalar or string result is an error here). */
  query: (expr: string) => Promise<Sample[]>
  alerts: () => Promise<PromAlert[]>
  rules: () => Promise<RuleGroup[]>
  labelValues: (label: string, match: string) => Promise<string[]>
  targets: () => Promise<Array<{ labels: Record<string, string>, health: string, lastError: string }>>
  stop: () => Promise<void>
}

async function api<T> (url: string): Promise<T> {
  const res = await fetch(url)
  const body = await res.json() as { status: string, data: T, error?: string, errorType?: string }
  if (body.status !== 'success') throw new Error(`${url}: ${body.errorType ?? res.status} ${body.error ?? ''}`)
  return body.data
}

/** Starts Prometheus with `config` (prometheus.yml text); resolves once /-/ready answers 200. */
export async function startPrometheus (t: Tap, config: string): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'gw-prometheus-'))
  const configFile = join(dir, 'prometheus.yml')
  writeFileSync(configFile, config)
  const port = await closedPort() // free now: Prometheus binds it next
  const url = `http://127.0.0.1:${port}`
  let output = ''
  const child = spawn(PROMETHEUS_BIN, [
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=info'
  ], { stdio: ['ignore', 'pipe', 'pipe'] })
  child.stdout.on('data', (c: Buffer) => { output += c.toString() })
  child.stderr.on('data', (c: Buffer) => { output += c.toString() })
  const exited = new Promise<void>(resolve => { child.once('exit', () => { resolve() }) })
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      const timer = setTimeout(() => { child.kill('SIGKILL') }, 5000)
      await exited
      clearTimeout(timer)
    }
    rmSync(dir, { recursive: true, force: true })
  }
  t.teardown(stop)
  const deadline = Date.now() + 20_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}:\n${output}`)
    const ready = await fetch(`${url}/-/ready`).then(r => r.status === 200, () => false)
    if (ready) break
    if (Date.now() > deadline) throw new Error(`prometheus not ready in 20 s:\n${output}`)
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  return {
    url,
    log: () => output,
    query: async (expr) => {
      const data = await api<{ resultType: string, result: Sample[] }>(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`)
      if (data.resultType !== 'vector') throw new Error(`${expr}: result type ${data.resultType}, not a vector`)
      return data.result
    },
    alerts: async () => (await api<{ alerts: PromAlert[] }>(`${url}/api/v1/alerts`)).alerts,
    rules: async () => (await api<{ groups: RuleGroup[] }>(`${url}/api/v1/rules`)).groups,
    labelValues: async (label, match) => await api<string[]>(`${url}/api/v1/label/${label}/values?match[]=${encodeURIComponent(match)}`),
    targets: async () => (await api<{ activeTargets: Array<{ labels: Record<string, string>, health: string, lastError: string }> }>(`${url}/api/v1/targets`)).activeTargets,
    stop
  }
}
