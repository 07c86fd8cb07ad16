// The real process: `node gateway/src/server.ts` (run through tap's TypeScript loader, as
// `node dist/gateway/src/server.js` runs after a build) started from env, SIGTERM while
// requests are in flight → every request completes 200 and the process exits 0. A bad config
// file makes the process exit 1 with the problems on stderr.
import t from 'tap'
import { spawn } from 'node:child_process'
import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import { join } from 'node:path'
import { request } from 'undici'
import { startOrigin, until } from '../helpers/gateway.js'

const loader = process.execArgv.filter(a => a.includes('@tapjs/typescript'))

function spawnGateway (env: Record<string, string>): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [...loader, 'gateway/src/server.ts'], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', ADMIN_PORT: '0', LOG_LEVEL: 'info', ...env }
  })
}

function exited (child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise(resolve => child.once('exit', code => resolve(code)))
}

/** Resolves with the `gateway listening` log line (it carries both URLs). */
function listening (child: ChildProcessWithoutNullStreams): Promise<{ url: string, adminUrl: string }> {
  return new Promise((resolve, reject) => {
    let buf = ''
    child.stdout.on('data', (c: Buffer) => {
      buf += c.toString()
      for (const line of buf.split('\n')) {
        if (line.includes('"gateway listening"')) resolve(JSON.parse(line) as { url: string, adminUrl: string })
      }
    })
    child.once('exit', code => reject(new Error(`gateway exited early (${code})`)))
  })
}

t.test('SIGTERM with requests in flight: all complete, exit code 0', async (t) => {
  let arrived = 0
  const origin = await startOrigin(t, (_req, res) => { arrived++; setTimeout(() => res.end('ok'), 500) })
  const child = spawnGateway({ LEGACY_URL: origin.url, GATEWAY_CONFIG: 'config/gateway.yaml', GATEWAY_STATE_DIR: t.testdir() })
  t.teardown(() => { child.kill('SIGKILL') })
  const exit = exited(child)
  const { url } = await listening(child)
  const inflight = Array.from({ length: 5 }, async () => {
    const res = await request(`${url}/api/Budgets/9`)
    return `${res.statusCode} ${await res.body.text()}`
  })
  await until(() => arrived >= 5)
  child.kill('SIGTERM')
  t.same(await Promise.all(inflight), ['200 ok', '200 ok', '200 ok', '200 ok', '200 ok'])
  t.equal(await exit, 0)
})

t.test('a bad config file: exit code 1 and the problems on stderr', async (t) => {
  const dir = t.testdir({ 'gateway.yaml': 'server:\n  port: not-a-port\nlegacy:\n  urll: http://x\n' })
  const child = spawnGateway({ GATEWAY_CONFIG: join(dir, 'gateway.yaml') })
  let stderr = ''
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString() })
  t.equal(await exited(child), 1)
  t.match(stderr, /gateway: invalid gateway config: 2 problems in .*gateway\.yaml/)
  t.match(stderr, /server\.port: expected .*found "not-a-port"/)
  t.match(stderr, /legacy\.urll: unknown key/)
})
