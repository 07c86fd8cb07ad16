// The gateway under fuzz as the product runs it: gateway/src/server.ts's main() (the process
// handlers of the last line of defence included) bundled with esbuild — the same code as
// dist/, without needing `npm run build` — started as a child process with the shipped
// config/gateway.yaml, ports 0, legacy = the recording upstream, Lambda = the local runtime.
// A child, not an in-process server: "the process is alive" is then a real observation, and a
// crash cannot be mistaken for (or masked by) the test runner's own handlers.
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { build } from 'esbuild'
import { SHIPPED_CONFIG, RAW_ADMIN_TOKEN } from '../helpers/raw-http.js'

interface Tap { teardown: (fn: () => unknown) => void, testdir: () => string }

const ROOT = new URL('../..', import.meta.url).pathname

export interface GatewayChild {
  url: string
  adminUrl: string
  child: ChildProcess
  alive: () => boolean
  /** Log lines of the last line of defence (an exception that escaped a request). */
  caught: () => string[]
  /** The last log lines (diagnostics on failure). */
  tail: () => string
  /** gateway_internal_errors_total summed over `where`, from /metrics. */
  internalErrors: () => Promise<number>
  /** Process memory as the gateway's own default metrics report it (after a forced GC when exposed). */
  admin: (path: string) => Promise<Response>
}

export async function startGatewayChild (t: Tap, env: { legacyUrl: string, lambdaUrl: string }): Promise<GatewayChild> {
  const dir = t.testdir()
  const outfile = join(dir, 'gateway-server.mjs')
  await build({ entryPoints: [join(ROOT, 'gateway/src/server.ts')], bundle: true, packages: 'external', platform: 'node', format: 'esm', target: 'node24', outfile, logLevel: 'warning' })
  const child = spawn(process.execPath, ['--expose-gc', outfile], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      GATEWAY_CONFIG: SHIPPED_CONFIG,
      STAGE: 'dev',
      PORT: '0',
      ADMIN_PORT: '0',
      LEGACY_URL: env.legacyUrl,
      LAMBDA_ENDPOINT: env.lambdaUrl,
      GATEWAY_ADMIN_TOKEN: RAW_ADMIN_TOKEN,
      GATEWAY_STATE_DIR: join(dir, 'var'),
      LOG_LEVEL: 'info'
    },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const exited = new Promise<void>(resolve => { child.once('exit', () => { resolve() }) })
  t.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    await exited
  })
  const tail: string[] = []
  const caught: string[] = []
  let pending = ''
  const onLine = (line: string): void => {
    tail.push(line)
    if (tail.length > 300) tail.shift()
    if (line.includes('last line of defence')) caught.push(line)
  }
  const listening = new Promise<{ url: string, adminUrl: string }>((resolve, reject) => {
    const timer = setTimeout(() => { reject(new Error(`gateway child did not listen in 30 s:\n${tail.join('\n')}`)) }, 30_000)
    child.stdout?.on('data', (chunk: Buffer) => {
      pending += chunk.toString()
      const lines = pending.split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) {
        onLine(line)
        if (line.includes('"gateway listening"')) {
          clearTimeout(timer)
          const parsed = JSON.parse(line) as { url: string, adminUrl: string }
          resolve({ url: parsed.url, adminUrl: parsed.adminUrl })
        }
      }
    })
    child.stderr?.on('data', (chunk: Buffer) => { onLine(`stderr: ${chunk.toString()}`) })
    child.once('exit', (code, signal) => { clearTimeout(timer); reject(new Error(`gateway child exited (${String(code ?? signal)}):\n${tail.join('\n')}`)) })
  })
  const { url, adminUrl } = await listening
  const admin = async (path: string): Promise<Response> => await fetch(adminUrl + path, { headers: { authorization: `Bearer ${RAW_ADMIN_TOKEN}` } })
  return {
    url,
    adminUrl,
    child,
    alive: () => child.exitCode === null && child.signalCode === null,
    caught: () => caught,
    tail: () => tail.join('\n'),
    internalErrors: async () => {
      const text = await (await admin('/metrics')).text()
      let sum = 0
      for (const m of text.matchAll(/^gateway_internal_errors_total\{[^}]*\} (\d+)/gm)) sum += Number(m[1])
      return sum
    },
    admin
  }
}
