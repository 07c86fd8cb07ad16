// The process-level last line of defence (issue 14): once the gateway is listening, an exception
// or a rejection that escaped a request is logged and counted in
// gateway_internal_errors_total{where} and the process keeps serving. A real child process: the
// test runner's own handlers must not be the ones catching it.
import t from 'tap'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { build } from 'esbuild'
import { SHIPPED_CONFIG, RAW_ADMIN_TOKEN } from '../helpers/raw-http.js'

const ROOT = new URL('../..', import.meta.url).pathname

t.test('an escaped exception and rejection are counted, and the gateway keeps serving', async (t) => {
  const dir = t.testdir()
  const outfile = join(dir, 'guarded.mjs')
  await build({ entryPoints: [join(ROOT, 'test/fixtures/guard-process/guarded-gateway-child.ts')], bundle: true, packages: 'external', platform: 'node', format: 'esm', target: 'node24', outfile, logLevel: 'warning' })
  const child = spawn(process.execPath, [outfile], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', GATEWAY_CONFIG: SHIPPED_CONFIG, PORT: '0', ADMIN_PORT: '0', LEGACY_URL: 'http://127.0.0.1:9', GATEWAY_ADMIN_TOKEN: RAW_ADMIN_TOKEN, GATEWAY_STATE_DIR: join(dir, 'var'), LOG_LEVEL: 'error' },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const exited = new Promise<void>(resolve => { child.once('exit', () => { resolve() }) })
  t.teardown(async () => { if (child.exitCode === null) child.kill('SIGKILL'); await exited })
  let out = ''
  child.stdout.on('data', (c: Buffer) => { out += c.toString() })
  let err = ''
  child.stderr.on('data', (c: Buffer) => { err += c.toString() })
  const deadline = Date.now() + 20_000
  let urls: { url: string, adminUrl: string } | undefined
  while (urls === undefined && Date.now() < deadline && child.exitCode === null) {
    const line = out.split('\n').find(l => l.startsWith('{"url"'))
    if (line) urls = JSON.parse(line) as { url: string, adminUrl: string }
    else await new Promise(resolve => setTimeout(resolve, 20))
  }
  if (!t.ok(urls, `the child reported its URLs (exit ${String(child.exitCode)}; ${err}${out})`) || urls === undefined) return
  t.equal(child.exitCode, null, 'the process is alive')
  const metrics = await (await fetch(`${urls.adminUrl}/metrics`)).text()
  t.match(metrics, /gateway_internal_errors_total\{where="uncaught_exception"\} 1/)
  t.match(metrics, /gateway_internal_errors_total\{where="unhandled_rejection"\} 1/)
  t.equal(out.match(/uncaught exception caught by the last line of defence/g)?.length, 1, 'logged once')
  t.match(out, /escaped from a request handler/, 'with the error')
  const health = await fetch(`${urls.adminUrl}/healthz`)
  t.equal(health.status, 200, 'and still healthy')
})
