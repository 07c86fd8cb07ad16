// parseReport reads the LAST REPORT line of a decoded log tail: cold starts (Init Duration), warm
// invocations, tails with several invocations or cut lines, missing fields, and garbage.
import t from 'tap'
import { decodeLogResult, parseReport } from '../../gateway/src/targets/lambda-report.js'

const COLD = 'START RequestId: 6b4a2c1e-1f1e-4a2b-9c3d-1234567890ab Version: $LATEST\n' +
  '2026-03-05T09:04:07.123Z\t6b4a2c1e\tINFO\tloading users\n' +
  'END RequestId: 6b4a2c1e-1f1e-4a2b-9c3d-1234567890ab\n' +
  'REPORT RequestId: 6b4a2c1e-1f1e-4a2b-9c3d-1234567890ab\tDuration: 12.34 ms\tBilled Duration: 13 ms\t' +
  'Memory Size: 128 MB\tMax Memory Used: 60 MB\tInit Duration: 85.12 ms\t\n'
const WARM = 'REPORT RequestId: 0f0f\tDuration: 1.05 ms\tBilled Duration: 2 ms\tMemory Size: 256 MB\tMax Memory Used: 61 MB\t'

t.test('cold start', async t => {
  t.strictSame(parseReport(COLD), {
    requestId: '6b4a2c1e-1f1e-4a2b-9c3d-1234567890ab',
    durationMs: 12.34,
    billedDurationMs: 13,
    memorySizeMb: 128,
    maxMemoryUsedMb: 60,
    initDurationMs: 85.12,
    coldStart: true
  })
})

t.test('warm invocation: no Init Duration, no initDurationMs key', async t => {
  t.strictSame(parseReport(WARM), {
    requestId: '0f0f', durationMs: 1.05, billedDurationMs: 2, memorySizeMb: 256, maxMemoryUsedMb: 61, coldStart: false
  })
})

t.test('the last REPORT line wins; CRLF line ends are fine', async t => {
  t.equal(parseReport(`${COLD}${WARM}\n`)?.requestId, '0f0f')
  t.equal(parseReport(COLD.replace(/\n/g, '\r\n'))?.initDurationMs, 85.12)
})

t.test('missing fields are tolerated', async t => {
  const r = parseReport('REPORT RequestId: abc\tDuration: 7 ms\tInit Duration: 100 ms')
  t.strictSame(r, { requestId: 'abc', durationMs: 7, billedDurationMs: 0, memorySizeMb: 0, maxMemoryUsedMb: 0, initDurationMs: 100, coldStart: true })
  t.strictSame(parseReport('REPORT '), { requestId: '', durationMs: 0, billedDurationMs: 0, memorySizeMb: 0, maxMemoryUsedMb: 0, coldStart: false })
  const initOnly = parseReport('REPORT RequestId: x\tInit Duration: 5 ms')
  t.equal(initOnly?.durationMs, 0, 'Init Duration is not mistaken for Duration')
})

t.test('garbage and no REPORT → undefined', async t => {
  t.equal(parseReport(''), undefined)
  t.equal(parseReport('START RequestId: x\nEND RequestId: x\n'), undefined)
  t.equal(parseReport('\u0000\u00ff random bytes REPORT in the middle'), undefined)
  t.equal(parseReport('  REPORT RequestId: indented'), undefined, 'REPORT must start a line')
})

t.test('decodeLogResult decodes base64 and tolerates absence', async t => {
  t.equal(decodeLogResult(Buffer.from(WARM).toString('base64')), WARM)
  t.equal(decodeLogResult(undefined), '')
  t.equal(parseReport(decodeLogResult(Buffer.from(COLD).toString('base64')))?.coldStart, true)
})
