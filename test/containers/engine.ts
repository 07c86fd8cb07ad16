// The container engine the container test owns: podman with a containers.conf of its own (runc +
// cgroupfs, the only combination that works on CI machines; rlimits podman may set here), its
// Docker-compatible API on a unix socket in the test's directory (`podman system service`), and
// Debian's docker-compose 1.29 driving it. Podman runs healthchecks from systemd timers, which
// this machine does not have, so `tickHealthchecks` runs them: depends_on: service_healthy works.
import { spawn, execFile, type ChildProcess } from 'node:child_process'
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

export interface Run { code: number, stdout: string, stderr: string }

export const ROOT = new URL('../..', import.meta.url).pathname

/** Runs a command to completion; never throws (the caller asserts on `code`). */
export function run (cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv, cwd?: string, timeoutMs?: number } = {}): Promise<Run> {
  return new Promise(resolve => {
    execFile(cmd, args, { env: opts.env, cwd: opts.cwd ?? ROOT, timeout: opts.timeoutMs ?? 120_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1
      resolve({ code, stdout: String(stdout), stderr: String(stderr) + (err !== null && typeof err.code !== 'number' ? `\n${err.message}` : '') })
    })
  })
}

/** Polls `probe` until it returns a value other than undefined, or fails after `ms`. */
export async function until<T> (what: string, ms: number, probe: () => Promise<T | undefined>, everyMs = 250): Promise<T> {
  const deadline = Date.now() + ms
  let last: unknown
  while (Date.now() < deadline) {
    try {
      const v = await probe()
      if (v !== undefined) return v
    } catch (err) { last = err }
    await sleep(everyMs)
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}${last !== undefined ? ` (last error: ${String(last)})` : ''}`)
}

/** containers.conf from scripts/containers/, plus rlimits the kernel lets this process set. */
async function containersConf (dir: string): Promise<string> {
  const limits = await run('bash', ['-c', 'ulimit -Hn; ulimit -Hu; cat /proc/sys/kernel/pid_max'])
  const [nofileHard, nprocHard, pidMax] = limits.stdout.trim().split('\n').map(Number) as [number, number, number]
  const nofile = Number.isFinite(nofileHard) ? nofileHard : 1048576
  // runc sets RLIMIT_NPROC from outside the container: above pid_max it is refused here.
  const nproc = Number.isFinite(nprocHard) ? Math.min(nprocHard, pidMax) : pidMax
  const base = readFileSync(join(ROOT, 'scripts/containers/containers.conf'), 'utf8')
  const file = join(dir, 'containers.conf')
  writeFileSync(file, base.replace(/^\[containers\]$/m, `[containers]\ndefault_ulimits = ["nofile=${nofile}:${nofile}", "nproc=${nproc}:${nproc}"]`))
  return file
}

function ping (socket: string): Promise<boolean> {
  return new Promise(resolve => {
    const req = request({ socketPath: socket, path: '/_ping', timeout: 2000 }, res => { res.resume(); resolve(res.statusCode === 200) })
    req.on('error', () => resolve(false)).on('timeout', () => { req.destroy(); resolve(false) })
    req.end()
  })
}

export class Engine {
  readonly env: NodeJS.ProcessEnv
  readonly serviceLog: string
  private service: ChildProcess | undefined
  private ticking = false
  private ticker: Promise<void> | undefined

  private constructor (readonly dir: string, readonly project: string, conf: string) {
    this.serviceLog = join(dir, 'podman-service.log')
    this.env = { ...process.env, CONTAINERS_CONF: conf, DOCKER_HOST: `unix://${join(dir, 'podman.sock')}`, COMPOSE_PROJECT_NAME: project }
  }

  static async start (dir: string, project: string): Promise<Engine> {
    const engine = new Engine(dir, project, await containersConf(dir))
    const socket = join(dir, 'podman.sock')
    const log = createWriteStream(engine.serviceLog)
    engine.service = spawn('podman', ['system', 'service', '--time', '0', `unix://${socket}`], { env: engine.env, stdio: ['ignore', 'pipe', 'pipe'] })
    engine.service.stdout?.pipe(log)
    engine.service.stderr?.pipe(log)
    try {
      await until('the podman API socket', 30_000, async () => (await ping(socket)) ? true : undefined)
    } catch (err) {
      await engine.stop()
      throw new Error(`${(err as Error).message}\n${readFileSync(engine.serviceLog, 'utf8')}`)
    }
    return engine
  }

  podman (args: string[], timeoutMs?: number): Promise<Run> {
    return run('podman', args, { env: this.env, timeoutMs })
  }

  /** docker-compose on the repository's docker-compose.yml, unchanged, with the given env file. */
  compose (envFile: string, args: string[], timeoutMs = 300_000): Promise<Run> {
    return run('docker-compose', ['-f', join(ROOT, 'docker-compose.yml'), '--project-directory', ROOT, '-p', this.project, '--env-file', envFile, ...args], { env: this.env, timeoutMs })
  }

  /** compose v1 names containers <project>_<service>_1. */
  container (service: string): string {
    return `${this.project}_${service}_1`
  }

  /** Runs every healthcheck of this project's running containers every second until stopped. */
  tickHealthchecks (): void {
    this.ticking = true
    this.ticker = (async () => {
      while (this.ticking) {
        const ps = await this.podman(['ps', '--filter', `label=com.docker.compose.project=${this.project}`, '--format', '{{.Names}}'])
        for (const name of ps.stdout.split('\n').filter(Boolean)) await this.podman(['healthcheck', 'run', name], 10_000)
        await sleep(1000)
      }
    })()
  }

  async diagnostics (): Promise<string> {
    const out = [(await this.podman(['ps', '-a'])).stdout]
    const names = await this.podman(['ps', '-a', '--filter', `label=com.docker.compose.project=${this.project}`, '--format', '{{.Names}}'])
    for (const name of names.stdout.split('\n').filter(Boolean)) {
      const logs = await this.podman(['logs', '--tail', '80', name])
      out.push(`--- logs of ${name} ---\n${logs.stdout}${logs.stderr}`)
    }
    let service = ''
    try { service = readFileSync(this.serviceLog, 'utf8').split('\n').slice(-80).join('\n') } catch {}
    out.push(`--- podman system service (last 80 lines) ---\n${service}`)
    return out.join('\n')
  }

  /** Removes everything of this project (containers, networks, volumes) and stops the service. */
  async stop (): Promise<void> {
    this.ticking = false
    await this.ticker
    const label = `label=com.docker.compose.project=${this.project}`
    const ids = (await this.podman(['ps', '-aq', '--filter', label])).stdout.split('\n').filter(Boolean)
    if (ids.length > 0) await this.podman(['rm', '-f', '-t', '2', ...ids])
    const vols = (await this.podman(['volume', 'ls', '-q', '--filter', label])).stdout.split('\n').filter(Boolean)
    if (vols.length > 0) await this.podman(['volume', 'rm', '-f', ...vols])
    const nets = (await this.podman(['network', 'ls', '-q', '--filter', label])).stdout.split('\n').filter(Boolean)
    if (nets.length > 0) await this.podman(['network', 'rm', '-f', ...nets])
    const service = this.service
    if (service !== undefined && service.exitCode === null) {
      const exited = new Promise(resolve => service.once('exit', resolve))
      service.kill('SIGTERM')
      await Promise.race([exited, sleep(10_000)])
      if (service.exitCode === null) service.kill('SIGKILL')
    }
  }
}
