// request.log is made on first use (logging.ts lazyChildLogger): no pino child for a request
// that never logs through it, and the same lines (bindings, level, redaction) when it does.
import t from 'tap'
import { Writable } from 'node:stream'
import type { FastifyBaseLogger } from 'fastify'
import { createLogger, lazyChildLogger } from '../../gateway/src/logging.js'

function capture (): { stream: Writable, lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = []
  const stream = new Writable({ write (chunk: Buffer, _enc, done) { chunks.push(chunk.toString()); done() } })
  return { stream, lines: () => chunks.join('').split('\n').filter(Boolean).map(l => JSON.parse(l) as Record<string, unknown>) }
}

function countingChildren (logger: FastifyBaseLogger): { logger: FastifyBaseLogger, children: () => number } {
  let n = 0
  const child = logger.child.bind(logger)
  return {
    logger: Object.assign(Object.create(logger) as FastifyBaseLogger, { child: (b: Record<string, unknown>, o?: object) => { n++; return child(b, o) } }),
    children: () => n
  }
}

t.test('no pino child is made until something logs through request.log', async (t) => {
  const cap = capture()
  const parent = countingChildren(createLogger({ level: 'info', stream: cap.stream }))
  const log = lazyChildLogger(parent.logger, { requestId: 'r-1' }, {})
  t.equal(log.level, 'info', 'level read without making the child')
  t.equal(parent.children(), 0)
  log.info({ a: 1 }, 'first')
  log.warn('second %s', 'x')
  t.equal(parent.children(), 1, 'made once, on first use')
  t.match(cap.lines(), [{ level: 'info', requestId: 'r-1', a: 1, msg: 'first' }, { level: 'warn', requestId: 'r-1', msg: 'second x' }])
})

t.test('lines through the lazy logger are redacted and leveled like a pino child', async (t) => {
  const cap = capture()
  const log = lazyChildLogger(createLogger({ level: 'info', stream: cap.stream }), { requestId: 'r-2' }, {})
  log.debug('not at info')
  log.error({ headers: { authorization: 'Bearer SECRET' }, req: { headers: { cookie: 'SECRET' } } }, 'failed')
  const lines = cap.lines()
  t.equal(lines.length, 1, 'debug is below the level')
  t.same(lines[0]!.headers, { authorization: '[REDACTED]' })
  t.same((lines[0]!.req as { headers: unknown }).headers, { cookie: '[REDACTED]' })
  t.equal(lines[0]!.requestId, 'r-2')
  t.notMatch(JSON.stringify(lines), /SECRET/)
})

t.test('a child level option and later level changes apply', async (t) => {
  const cap = capture()
  const log = lazyChildLogger(createLogger({ level: 'info', stream: cap.stream }), { requestId: 'r-3' }, { level: 'warn' })
  t.equal(log.level, 'warn')
  log.info('dropped')
  log.level = 'debug'
  log.debug('kept')
  t.match(cap.lines(), [{ level: 'debug', msg: 'kept', requestId: 'r-3' }])
  t.equal(cap.lines().length, 1)
  const child = log.child({ extra: true })
  child.warn('from a grandchild')
  t.match(cap.lines()[1], { requestId: 'r-3', extra: true, msg: 'from a grandchild' })
})
