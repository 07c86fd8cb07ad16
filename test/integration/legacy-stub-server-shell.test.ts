// The shell (legacy-stub/src/server.ts) as a user runs it: env in, URL printed, serving, and a
// clean exit on SIGTERM; a bad setting stops it with a message and exit code 1.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import t from 'tap'

const server = fileURLToPath(new URL('../../legacy-stub/src/server.ts', import.meta.url))

function run (env: Record<string, string>) {
  // The same loader flags as this test process, so the child runs the TypeScript source.
  const child = spawn(process.execPath, [...process.execArgv, server], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let out = ''
  child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString() })
  child.stderr.on('data', (chunk: Buffer) => { out += chunk.toString() })
  return { child, output: () => out }
}

// Both children start at once: loading the TypeScript sources dominates the time on a busy CPU.
const good = run({ LEGACY_STUB_PORT: '0', LEGACY_MAX_CONCURRENCY: '3', LEGACY_LATENCY_MS: '1' })
const bad = run({ LEGACY_STUB_PORT: '0', LEGACY_QUEUE_LIMIT: 'lots' })
const badExit = once(bad.child, 'exit')
t.teardown(() => {
  for (const { child } of [good, bad]) if (child.exitCode === null) child.kill('SIGKILL')
})

t.test('prints its URL, serves, and closes cleanly on SIGTERM', async t => {
  const { child, output } = good
  let url: string | undefined
  for (let i = 0; i < 300 && url === undefined; i++) {
    url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output())?.[1]
    if (url === undefined) await new Promise(resolve => setTimeout(resolve, 50))
  }
  t.ok(url, `printed its URL: ${output().trim()}`)
  const stats = await (await fetch(`${url}/__stats`)).json() as { maxConcurrency: number, latencyMs: number, queueLimit: number }
  t.match(stats, { maxConcurrency: 3, latencyMs: 1, queueLimit: 64 }, 'settings from env')
  t.equal((await fetch(`${url}/api/Users/1`)).status, 200)

  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  const [code] = await exited
  t.equal(code, 0, 'exit code 0')
  t.match(output(), /SIGTERM, closing/)
})

t.test('a bad setting is refused at start', async t => {
  const [code] = await badExit
  t.equal(code, 1)
  t.match(bad.output(), /setting LEGACY_QUEUE_LIMIT=lots is invalid/)
})
