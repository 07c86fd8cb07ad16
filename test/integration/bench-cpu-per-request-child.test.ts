// cpu µs/req reads the CPU time of the process that serves: a child that burns 2 ms of its own
// CPU per request reads as ≥ 2000 µs/req, one that does not reads far lower, one without a pid
// reads as unknown.
import t from 'tap'
import type { Test } from 'tap'
import { spawn } from 'node:child_process'
import { measureOverhead } from '../../bench/lib/measure.js'

const SERVER = `
const http = require('node:http')
const burnUs = Number(process.argv[1])
http.createServer((req, res) => {
  const start = process.cpuUsage()
  while (burnUs > 0) { const d = process.cpuUsage(start); if (d.user + d.system >= burnUs) break }
  res.end('{}')
}).listen(0, '127.0.0.1', function () { process.stdout.write('PORT ' + this.address().port + '\\n') })
`

async function child (t: Test, burnUs: number): Promise<{ url: string, pid: number }> {
  const c = spawn(process.execPath, ['-e', SERVER, String(burnUs)], { stdio: ['ignore', 'pipe', 'inherit'] })
  t.teardown(() => { c.kill('SIGKILL') })
  const port = await new Promise<string>((resolve, reject) => {
    c.stdout.on('data', (d: Buffer) => { const m = /PORT (\d+)/.exec(d.toString()); if (m) resolve(m[1] as string) })
    c.once('exit', code => reject(new Error(`server exited ${String(code)}`)))
  })
  return { url: `http://127.0.0.1:${port}`, pid: c.pid as number }
}

const load = { connections: 2, warmupS: 1, closedS: 1, openRate: 50, openS: 1, rounds: 1, path: '/' }

t.test('CPU per request is the serving process\'s own CPU time per answered request', { skip: process.platform !== 'linux' && 'reads /proc' }, async t => {
  const burner = await child(t, 2000)
  const idle = await child(t, 0)
  const burn = await measureOverhead({ name: 'burner', ...burner }, load, () => {})
  const lean = await measureOverhead({ name: 'lean', ...idle }, load, () => {})
  const noPid = await measureOverhead({ name: 'no pid', url: idle.url }, { ...load, openS: 0.5 }, () => {})
  t.ok(burn.closed.median.cpuUsPerReq >= 1900, `burner closed loop: ${burn.closed.median.cpuUsPerReq} µs/req (burns 2000 per request)`)
  t.ok(burn.open.median.cpuUsPerReq >= 1900, `burner open loop: ${burn.open.median.cpuUsPerReq} µs/req`)
  t.ok(lean.closed.median.cpuUsPerReq > 0 && lean.closed.median.cpuUsPerReq < burn.closed.median.cpuUsPerReq / 2,
    `lean closed loop: ${lean.closed.median.cpuUsPerReq} µs/req`)
  t.ok(Number.isNaN(noPid.closed.median.cpuUsPerReq), 'no pid: unknown')
})
