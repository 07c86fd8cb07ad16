// Settings that are not config (config path, stage, log level, Redis, secrets) come from env in
// one place; secrets never appear when the result is logged, stringified or inspected.
import t from 'tap'
import { inspect } from 'node:util'
import { readGatewayEnv } from '../../gateway/src/config/env.js'
import { loadConfig } from '../../gateway/src/config/load-config.js'
import { thrown } from '../helpers/config.js'

t.test('defaults', async t => {
  const env = readGatewayEnv({})
  t.same({ ...env }, { configPath: 'config/gateway.yaml', stage: 'dev', logLevel: 'info', redisUrl: undefined, stateDir: undefined })
  t.equal(env.adminToken, undefined)
})

t.test('values, and empty means unset', async t => {
  const env = readGatewayEnv({ GATEWAY_CONFIG: '/etc/gw.yaml', STAGE: 'prod', LOG_LEVEL: 'debug', REDIS_URL: 'redis://r:6379', GATEWAY_ADMIN_TOKEN: '', GATEWAY_STATE_DIR: '/var/gw' })
  t.equal(env.configPath, '/etc/gw.yaml')
  t.equal(env.stage, 'prod')
  t.equal(env.logLevel, 'debug')
  t.equal(env.redisUrl, 'redis://r:6379')
  t.equal(env.stateDir, '/var/gw')
  t.equal(env.adminToken, undefined)
})

t.test('secrets are readable by name but redacted when printed', async t => {
  const token = 's3cr3t-admin-token-value'
  const env = readGatewayEnv({ GATEWAY_ADMIN_TOKEN: token, GATEWAY_ADMIN_TOKENS: `ops:${token}2`, GATEWAY_OVERRIDE_SECRET: `${token}3` })
  t.equal(env.adminToken, token)
  t.equal(env.adminTokens, `ops:${token}2`)
  t.equal(env.overrideSecret, `${token}3`)
  for (const printed of [JSON.stringify(env), inspect(env), JSON.stringify({ ...env }), String(Object.keys(env))]) {
    t.notMatch(printed, token, 'no secret in printed form')
  }
  t.match(JSON.stringify(env), '"adminToken":"[redacted]"')
  t.ok(Object.isFrozen(env))
})

t.test('the config object never carries the admin token', async t => {
  const token = 'another-secret-token-123'
  const config = loadConfig({ env: { GATEWAY_ADMIN_TOKEN: token } })
  t.notMatch(JSON.stringify(config), token)
})

t.test('bad STAGE / LOG_LEVEL are refused with every problem', async t => {
  const err = thrown(() => readGatewayEnv({ STAGE: 'Prod', LOG_LEVEL: 'verbose' }))
  t.equal(err.message, [
    'invalid gateway config: 2 problems in the environment',
    '  STAGE: expected a lower-case stage name like dev or prod, found "Prod"',
    '  LOG_LEVEL: expected one of fatal|error|warn|info|debug|trace|silent, found "verbose"'
  ].join('\n'))
})
