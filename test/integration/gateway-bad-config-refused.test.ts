// A bad config file stops start-up: startGateway rejects with the config error listing every
// problem (path in the file, what was expected, what was found), and nothing listens.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { startGateway } from '../../gateway/src/server.js'
import { createLogger } from '../../gateway/src/logging.js'

const quiet = createLogger({ level: 'silent' })
const shipped = readFileSync('config/gateway.yaml', 'utf8')

async function refusal (t: Tap, yaml: string): Promise<Error & { code?: string }> {
  const dir = t.testdir({ 'gateway.yaml': yaml })
  try {
    const gw = await startGateway({ configPath: join(dir, 'gateway.yaml'), env: { PORT: '0', ADMIN_PORT: '0' }, logger: quiet, stateDir: join(dir, 'var') })
    await gw.stop()
  } catch (err) {
    return err as Error & { code?: string }
  }
  throw new Error('startGateway accepted a bad config')
}
interface Tap { testdir: (f: Record<string, string>) => string }

t.test('the shipped file starts (control case)', async (t) => {
  const gw = await startGateway({ configPath: 'config/gateway.yaml', env: { PORT: '0', ADMIN_PORT: '0' }, logger: quiet, stateDir: t.testdir() })
  t.teardown(() => gw.stop())
  t.match(gw.url, /^http:\/\/127\.0\.0\.1:\d+$/)
  t.equal(gw.config.routes.length, 7)
})

t.test('an unknown key (a typo) is refused', async (t) => {
  const err = await refusal(t, shipped.replace('  timeoutMs: 5000 ', '  timeoutMS: 5000 '))
  t.equal(err.code, 'GW_ERR_CONFIG_INVALID')
  t.match(err.message, /legacy\.timeoutMS/)
})

t.test('a wrong type is refused with expected and found', async (t) => {
  const err = await refusal(t, shipped.replace('connections: 64', 'connections: lots'))
  t.equal(err.code, 'GW_ERR_CONFIG_INVALID')
  t.match(err.message, /legacy\.connections/)
  t.match(err.message, /lots/)
})

t.test('duplicate route ids are refused', async (t) => {
  const err = await refusal(t, shipped.replace('- id: users.list', '- id: users.get'))
  t.equal(err.code, 'GW_ERR_CONFIG_INVALID')
  t.match(err.message, /users\.get/)
  t.match(err.message, /duplicate/i)
})

t.test('a lambda target without a function is refused', async (t) => {
  const yaml = shipped.replace(/ {2}- id: projects\.create\n {4}methods: \[POST\]\n {4}path: \/api\/projects\n {4}target: legacy/,
    '  - id: projects.create\n    methods: [POST]\n    path: /api/projects\n    target: lambda')
  const err = await refusal(t, yaml)
  t.equal(err.code, 'GW_ERR_CONFIG_INVALID')
  t.match(err.message, /projects\.create|routes\[\d+\]/)
  t.match(err.message, /lambda/)
})

t.test('every problem is listed at once, with path, expected and found', async (t) => {
  const dir = t.testdir({ 'gateway.yaml': shipped.replace('connections: 64', 'connections: lots').replace('  timeoutMs: 5000 ', '  timeoutMS: 5000 ') })
  const file = join(dir, 'gateway.yaml')
  await t.rejects(startGateway({ configPath: file, env: {}, logger: quiet }), {
    code: 'GW_ERR_CONFIG_INVALID',
    message: `invalid gateway config: 2 problems in ${file}\n` +
      '  legacy.timeoutMS: unknown key\n' +
      '  legacy.connections: expected an integer from 1 to 10000, found "lots"'
  })
})

t.test('a missing file is refused with its path', async (t) => {
  await t.rejects(startGateway({ configPath: 'config/does-not-exist.yaml', env: {}, logger: quiet }), {
    code: 'GW_ERR_CONFIG_READ',
    message: /config\/does-not-exist\.yaml/
  })
})
