// Parent side of a contender child: spawn (pinned, optionally profiled), wait for its
// ready line, stop it with SIGTERM (bounded: SIGKILL after 8 s).
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { ChildSpec } from './child-spec.js'
import { READY_PREFIX } from './child-spec.js'
import type { Pinning } from './pinning.js'
import { pinned } from './pinning.js'

export interface RunningChild {
  url: string
  adminUrl?: string
  /** A gateway spawned with permitProbe: its PermitProbe's snapshot (bench/lib/permit-probe.ts). */
  probeUrl?: string
  pid: number
  /** Starts the CPU profiler in the child (when spawned with cpuProfileFile). */
  startProfile: () => void
  stop: () => Promise<void>
}

export interface SpawnOptions {
  pinning: Pinning
  /** Pin to the contender core; default true (upstreams like the stub run unpinned). */
  pin?: boolean
  /** File the child writes its CPU profile to (the window from startProfile() to stop()). */
  cpuProfileFile?: string
  startTimeoutMs?: number
  /** A gateway child attaches a PermitProbe (legacy's worker count) to its legacy limiter and serves it (probeUrl). */
  permitProbe?: { workers: number }
  /** Another build's contender-child.js (A/B against a baseline checkout); default this build's. */
  entry?: string
}

const CHILD_ENTRY = fileURLToPath(new URL('./contender-child.js', import.meta.url))

/** SIGTERM, then SIGKILL after 8 s; resolves once the child has exited. */
export function stopChild (child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise(resolve => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 8000)
    child.once('exit', () => { clearTimeout(kill); resolve() })
    child.kill('SIGTERM')
  })
}

export function spawnChild (spec: ChildSpec, opts: SpawnOptions): Promise<RunningChild> {
  const nodeArgs = ['--max-old-space-size=512']
  const [cmd, args] = pinned(opts.pinning, process.execPath, [...nodeArgs, opts.entry ?? CHILD_ENTRY, JSON.stringify(spec)], opts.pin ?? true)
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_ENV: 'production', ...(opts.cpuProfileFile ? { BENCH_CPU_PROFILE: opts.cpuProfileFile } : {}), ...(opts.permitProbe ? { BENCH_PERMIT_PROBE: String(opts.permitProbe.workers) } : {}) } })
  return whenReady<{ url: string, adminUrl?: string, probeUrl?: string }>(child, spec.kind, opts.startTimeoutMs ?? 20000)
    .then(info => ({ ...info, pid: child.pid ?? -1, startProfile: () => { child.kill('SIGUSR2') }, stop: () => stopChild(child) }))
}

/**
 * Resolves with the JSON a bench child prints after READY_PREFIX once it listens; rejects (and
 * kills it) when it does not within startTimeoutMs, or when it exits first (with its stderr tail).
 */
export function whenReady<T> (child: ChildProcess, label: string, startTimeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    let out = ''
    let err = ''
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${label} did not start within ${startTimeoutMs} ms: ${err.slice(-500)}`)) }, startTimeoutMs)
    child.stderr?.on('data', (d: Buffer) => { err = (err + d.toString()).slice(-4000) })
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString()
      const line = out.split('\n').find(l => l.startsWith(READY_PREFIX))
      if (line === undefined) return
      clearTimeout(timer)
      child.stdout?.removeAllListeners('data')
      child.stdout?.resume()
      resolve(JSON.parse(line.slice(READY_PREFIX.length)) as T)
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${label} exited early (code ${String(code)}): ${err.slice(-1000)}`))
    })
  })
}
