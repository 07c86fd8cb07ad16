/* eslint-disable no-template-curly-in-string -- the tests are about the literal ${VAR} syntax */
// The editor schemas (config/gateway.schema.json, config/gateway.overlay.schema.json) must accept
// what the loader accepts and refuse what it refuses: each case goes through ajv against the
// committed schema AND through the loader.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { Ajv } from 'ajv'
import type { ValidateFunction } from 'ajv'
import { parse } from 'yaml'
import { loadConfig, parseConfig } from '../../gateway/src/config/load-config.js'
import { JSON_SCHEMA_FILES } from '../../gateway/src/config/json-schema.js'

const compile = (file: string): ValidateFunction =>
  new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(file, 'utf8')) as object)
const base = compile(JSON_SCHEMA_FILES.base)
const overlay = compile(JSON_SCHEMA_FILES.overlay)
const yaml = (file: string): unknown => parse(readFileSync(file, 'utf8'))
function loads (text: string, overlayText?: string): boolean {
  try {
    parseConfig(text, { env: {}, ...(overlayText === undefined ? {} : { overlay: { text: overlayText, file: 'stage.yaml' } }) })
    return true
  } catch {
    return false
  }
}

const DIR = 'test/fixtures/configs/null-overlay'

t.test('a stage file with `null` (the documented "null removes a key") passes the overlay schema and the loader', async t => {
  t.ok(base(yaml(`${DIR}/gateway.yaml`)), `base: ${JSON.stringify(base.errors)}`)
  t.ok(overlay(yaml(`${DIR}/stages/staging.yaml`)), `overlay: ${JSON.stringify(overlay.errors)}`)
  t.notOk(base(yaml(`${DIR}/stages/staging.yaml`)), 'the base schema refuses a nested null, as the loader does in a base file')

  const withBase = loadConfig({ path: `${DIR}/gateway.yaml`, stage: 'dev', env: {} })
  t.same(withBase.legacy.rateLimit, { perSecond: 5, burst: 5 })
  const staged = loadConfig({ path: `${DIR}/gateway.yaml`, stage: 'staging', env: {} })
  t.same(staged.legacy.rateLimit, { perSecond: 200, burst: 50 }, 'legacy.rateLimit: null → the default again')
  t.equal(staged.legacy.breaker.volumeThreshold, 20, 'a nested null → that field\'s default')
  t.same(staged.lambda.contexts, { users: {} }, 'a key of a record can be removed too')
})

t.test('null inside a list is refused by both (lists replace as a whole: nothing to remove)', async t => {
  const text = 'routes:\n  - { id: a, methods: [GET], path: /a, target: legacy, priority: null }\n'
  t.notOk(overlay(parse(text)))
  t.notOk(loads('{}', text))
})

t.test('null at the top of the base file removes the key there too; deeper it is an error in both', async t => {
  t.ok(base(parse('legacy: null\n')))
  t.ok(loads('legacy: null\n'))
  t.notOk(base(parse('legacy: { rateLimit: null }\n')))
  t.notOk(loads('legacy: { rateLimit: null }\n'))
})

t.test('the shipped files pass their schemas', async t => {
  t.ok(base(yaml('config/gateway.yaml')), JSON.stringify(base.errors))
  for (const stage of ['dev', 'prod']) t.ok(overlay(yaml(`config/stages/${stage}.yaml`)), `${stage}: ${JSON.stringify(overlay.errors)}`)
})

t.test('the ${VAR} pattern is anchored: the whole string is literal text and well-formed references', async t => {
  const cases: Array<[string, boolean]> = [
    ['server: { port: "${PORT:-8080}" }', true],
    ['server: { port: "80${TWO_DIGITS:-80}" }', true], // "8080" after interpolation
    ['legacy: { url: "http://${LEGACY_HOST:-127.0.0.1}:5000" }', true],
    ['server: { port: "${PORT:-8080} ${" }', false], // a malformed reference after a good one
    ['server: { port: "${1PORT}" }', false],
    ['server: { port: "$${PORT}" }', false], // $${ is a literal ${: no reference, not a number
    ['legacy: { url: "ftp://${HOST:-h}" }', true] // the editor cannot know the value: the loader decides
  ]
  for (const [text, ok] of cases) {
    t.equal(base(parse(text)), ok, `schema: ${text}`)
    if (!text.includes('ftp://')) t.equal(loads(text), ok, `loader: ${text}`)
  }
  t.notOk(loads('legacy: { url: "ftp://${HOST:-h}" }'), 'the loader checks the interpolated value against the pattern')
})
