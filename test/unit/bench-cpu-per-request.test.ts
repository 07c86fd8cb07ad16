// cpu µs/req of the overhead scenario: utime + stime parsed from /proc/<pid>/stat, divided by the
// requests a round answered, medians over rounds; the table shows it for every contender.
import t from 'tap'
import { cpuUsPerRequest, parseProcStat } from '../../bench/lib/proc-cpu.js'
import { medianWithCpu } from '../../bench/lib/measure.js'
import type { ContenderFigures } from '../../bench/lib/measure.js'
import { overheadTable } from '../../bench/scenarios/overhead-legacy.js'

t.test('utime and stime are fields 14 and 15, whatever the command name holds', async t => {
  const fields = (comm: string): string => `4242 (${comm}) S 1 4242 4242 0 -1 4194560 5000 0 12 0 731 129 0 0 20 0 11 0 9999 1234567 890 18446744073709551615`
  t.same(parseProcStat(fields('node')), { utimeTicks: 731, stimeTicks: 129 })
  t.same(parseProcStat(fields('we ird) (name')), { utimeTicks: 731, stimeTicks: 129 }, 'a ")" or spaces in the name do not shift the fields')
  t.equal(parseProcStat('garbage'), undefined)
  t.equal(parseProcStat('1 (x) S 1 2'), undefined, 'a truncated line is unknown, not zero')
})

t.test('CPU per request is µs of CPU per answered request; unknown when either side is', async t => {
  t.equal(cpuUsPerRequest(1500, 10_000), 150)
  t.equal(cpuUsPerRequest(1, 3), 333.3)
  t.ok(Number.isNaN(cpuUsPerRequest(undefined, 100)))
  t.ok(Number.isNaN(cpuUsPerRequest(100, 0)))
})

t.test('the median of CPU per request skips rounds where it was unknown', async t => {
  const round = (cpuUsPerReq: number): { rps: number, p50: number, p99: number, p999: number, errors: number, cpuUsPerReq: number } =>
    ({ rps: 100, p50: 1, p99: 2, p999: 3, errors: 0, cpuUsPerReq })
  t.equal(medianWithCpu([round(90), round(110), round(100)]).cpuUsPerReq, 100)
  t.equal(medianWithCpu([round(90), round(Number.NaN), round(110)]).cpuUsPerReq, 100)
  t.ok(Number.isNaN(medianWithCpu([round(Number.NaN)]).cpuUsPerReq))
})

t.test('the overhead table has a cpu µs/req column for every contender, the baseline included', async t => {
  const figures = (rps: number, cpu: number, openCpu: number): ContenderFigures => ({
    closed: { median: { rps, p50: 1, p99: 2, p999: 3, errors: 0, cpuUsPerReq: cpu }, rounds: [] },
    open: { rate: 1000, median: { rps: 1000, p50: 1, p99: 2, p999: 3, errors: 0, cpuUsPerReq: openCpu }, rounds: [] }
  })
  const table = overheadTable([
    { name: 'direct', figures: figures(40000, 21.5, 30.4) },
    { name: 'gateway', figures: figures(9000, 104.2, 131) },
    { name: 'gateway@baseline', figures: figures(8000, 111.7, Number.NaN) }
  ])
  const [header, , ...rows] = table.split('\n')
  const cols = (line: string | undefined): string[] => (line ?? '').split('|').slice(1, -1).map(c => c.trim())
  const cpuCol = cols(header).indexOf('cpu µs/req')
  const openCpuCol = cols(header).indexOf('open cpu µs/req')
  t.ok(cpuCol > 0 && openCpuCol > cpuCol, 'both columns are there')
  t.same(rows.map(r => cols(r)[cpuCol]), ['21.5', '104.2', '111.7'])
  t.same(rows.map(r => cols(r)[openCpuCol]), ['30.4', '131', '–'], 'unknown shows as a dash')
})
