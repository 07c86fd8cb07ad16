/* eslint-disable no-template-curly-in-string -- the tests are about the literal ${VAR} syntax */
// A missing or unreadable file, or a YAML syntax error, is a ConfigReadError naming the file
// (and line/column for syntax errors); an absent stage overlay is not an error.
import t from 'tap'
import { loadConfig, parseConfig } from '../../gateway/src/config/load-config.js'
import { configFixture, thrown, writeConfigDir } from '../helpers/config.js'

t.test('YAML syntax error with line and column', async t => {
  const err = thrown(() => loadConfig({ path: configFixture('bad-yaml-syntax.yaml'), env: {} }))
  t.equal(err.code, 'GW_ERR_CONFIG_READ')
  t.equal(err.message, 'cannot read config file test/fixtures/configs/bad-yaml-syntax.yaml: YAML syntax error: line 3, column 1: All mapping items must start at the same column')
})

t.test('cascading YAML errors: the first is shown, the rest counted', async t => {
  const err = thrown(() => parseConfig('server: { port: ${PORT}, host: x }', { file: 'flow.yaml', env: {} }))
  t.match(err.message, /^cannot read config file flow\.yaml: YAML syntax error: line 1, column 18: Unexpected flow-map-start at node end \(and \d+ more\)$/)
})

t.test('duplicate keys are a syntax error, not a silent override', async t => {
  const err = thrown(() => parseConfig('legacy:\n  timeoutMs: 1000\n  timeoutMs: 2000\n', { file: 'dup.yaml', env: {} }))
  t.equal(err.message, 'cannot read config file dup.yaml: YAML syntax error: line 3, column 3: Map keys must be unique')
})

t.test('missing file', async t => {
  const err = thrown(() => loadConfig({ path: 'test/fixtures/configs/does-not-exist.yaml', env: {} }))
  t.equal(err.code, 'GW_ERR_CONFIG_READ')
  t.equal(err.message, 'cannot read config file test/fixtures/configs/does-not-exist.yaml: file not found')
})

t.test('a directory instead of a file', async t => {
  const dir = t.testdir({ 'gateway.yaml': {} })
  const err = thrown(() => loadConfig({ path: `${dir}/gateway.yaml`, env: {} }))
  t.equal(err.message, `cannot read config file ${dir}/gateway.yaml: is a directory`)
})

t.test('GATEWAY_CONFIG names the file when opts.path is absent', async t => {
  const err = thrown(() => loadConfig({ env: { GATEWAY_CONFIG: 'nowhere/gw.yaml' } }))
  t.equal(err.message, 'cannot read config file nowhere/gw.yaml: file not found')
})

t.test('no overlay for the stage is fine; an empty overlay is fine', async t => {
  const path = writeConfigDir(t, 'routes: []\n', { staging: '# nothing to change yet\n' })
  t.equal(loadConfig({ path, stage: 'qa', env: {} }).stage, 'qa')
  t.equal(loadConfig({ path, stage: 'staging', env: {} }).stage, 'staging')
})

t.test('a stage name that is not a plain name is refused before any file is read', async t => {
  const err = thrown(() => loadConfig({ path: 'config/gateway.yaml', stage: '../../etc/passwd', env: {} }))
  t.equal(err.message, 'invalid gateway config: 1 problem in the environment\n  STAGE: expected a lower-case stage name like dev or prod, found "../../etc/passwd"')
})
