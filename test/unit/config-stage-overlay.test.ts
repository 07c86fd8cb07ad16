/* eslint-disable no-template-curly-in-string -- the tests are about the literal ${VAR} syntax */
// config/stages/<stage>.yaml is deep-merged over the base: mappings merge key by key, lists
// replace, null removes a key (its default applies again); each file is interpolated on its own.
import t from 'tap'
import { loadConfig, parseConfig, stageOverlayPath } from '../../gateway/src/config/load-config.js'
import { mergeOverlay } from '../../gateway/src/config/merge.js'
import { LEGACY_PROTECTION_BLOCKS, problemsOf, thrown, writeConfigDir } from '../helpers/config.js'

const BASE = [
  'stage: ${STAGE:-dev}',
  'server:',
  '  port: 8080',
  '  trustedProxies: [10.0.0.1, 10.0.0.2]',
  '  shutdownGraceMs: 3000',
  'legacy:',
  '  url: http://127.0.0.1:5000',
  '  timeoutMs: 1000',
  'routes:',
  '  - { id: users.get, methods: [GET], path: /api/users/:id, target: lambda, lambda: { function: Users-DEV } }',
  '  - { id: users.list, methods: [GET], path: /api/users, target: lambda, lambda: { function: Users-DEV } }'
].join('\n')

t.test('merge rules', async t => {
  t.same(mergeOverlay({ a: { b: 1, c: 2 }, l: [1, 2] }, { a: { c: 3, d: 4 }, l: [9] }), { a: { b: 1, c: 3, d: 4 }, l: [9] })
  t.same(mergeOverlay({ a: { b: 1 }, k: 1 }, { a: null, k: null }), {})
  t.same(mergeOverlay({ a: { b: 1 } }, { a: 'scalar' }), { a: 'scalar' })
  t.same(mergeOverlay({ a: 1 }, {}), { a: 1 })
})

t.test('a stage overlay merges objects, replaces lists, removes keys with null', async t => {
  const path = writeConfigDir(t, BASE, {
    prod: [
      'server:',
      '  port: 9000',
      '  trustedProxies: [192.168.0.1]',
      '  shutdownGraceMs: null',
      'routes:',
      '  - { id: users.get, methods: [GET], path: /api/users/:id, target: legacy, lambda: { function: Users-PROD } }'
    ].join('\n')
  })
  const config = loadConfig({ path, stage: 'prod', env: {} })
  t.equal(config.stage, 'prod', '${STAGE} sees the stage being loaded')
  t.equal(config.server.port, 9000, 'overlay value wins')
  t.same(config.server.trustedProxies, ['192.168.0.1'], 'lists replace')
  t.equal(config.server.shutdownGraceMs, 10000, 'null removed the base value: default again')
  t.same(config.legacy, {
    url: 'http://127.0.0.1:5000',
    timeoutMs: 1000,
    connectTimeoutMs: 1000,
    connections: 64,
    keepAliveTimeoutMs: 4000,
    maxConcurrency: 8,
    ...LEGACY_PROTECTION_BLOCKS
  }, 'untouched section kept (maxConcurrency and the protection blocks: the schema defaults)')
  t.same(config.routes.map(r => r.id), ['users.get'], 'routes list replaced as a whole')
  const dev = loadConfig({ path, env: {} })
  t.equal(dev.server.port, 8080, 'without an overlay file the base applies')
  t.equal(dev.routes.length, 2)
})

t.test('STAGE from env picks the overlay; overlay path sits next to the config file', async t => {
  const path = writeConfigDir(t, BASE, { qa: 'server:\n  port: 7000\n' })
  t.equal(loadConfig({ path, env: { STAGE: 'qa' } }).server.port, 7000)
  t.equal(stageOverlayPath('/etc/gw/gateway.yaml', 'qa'), '/etc/gw/stages/qa.yaml')
})

t.test('problems in an overlay name the overlay file; schema paths are the merged paths', async t => {
  const path = writeConfigDir(t, BASE, { prod: 'legacy:\n  url: ${PROD_LEGACY_URL}\n  timeOutMs: 5\n' })
  const err = thrown(() => loadConfig({ path, stage: 'prod', env: {} }))
  const overlay = path.replace(/gateway\.yaml$/, 'stages/prod.yaml')
  t.same(problemsOf(err), [
    { path: 'legacy.url', message: `expected environment variable PROD_LEGACY_URL to be set (or a default: \${PROD_LEGACY_URL:-value}), found it unset (in ${overlay})` },
    { path: 'legacy.timeOutMs', message: 'unknown key' }
  ])
  t.match(err.message, `problems in ${path} + ${overlay}`)
})

t.test('a file that hard-codes another stage is refused', async t => {
  const err = thrown(() => parseConfig('stage: dev\n', { stage: 'prod', env: {} }))
  t.same(problemsOf(err), [{ path: 'stage', message: 'expected "prod" (the stage being loaded), found "dev"' }])
})
