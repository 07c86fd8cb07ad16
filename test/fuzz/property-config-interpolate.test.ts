/* eslint-disable no-template-curly-in-string -- the properties are about the literal ${VAR} syntax */
// Property fuzzing of config interpolation (config/interpolate.ts) and the loader around it, with
// fast-check. Properties: interpolating any string with any environment never throws and files
// every problem under the value's path; text without `${` is left alone; a template of literal
// text, `${NAME}`, `${NAME:-default}` and `$${` becomes exactly what a model of the rules says,
// in one pass (an env value holding `${X}`, `: ` or a newline stays literal); and loading the
// shipped config/gateway.yaml under any environment, or any YAML document of `${…}` strings,
// either returns a config or throws only the typed config errors (GW_ERR_CONFIG_INVALID /
// GW_ERR_CONFIG_READ), never anything else.
import t from 'tap'
import fc from 'fast-check'
import { readFileSync } from 'node:fs'
import { stringify } from 'yaml'
import { interpolateString } from '../../gateway/src/config/interpolate.js'
import type { ConfigProblem } from '../../gateway/src/config/config-problem.js'
import { parseConfig } from '../../gateway/src/config/load-config.js'
import { checkProperty } from '../helpers/property-budget.js'

const PROPERTIES = 5
const NAMES = ['A', 'B_1', 'STAGE', 'LEGACY_URL', 'PORT', 'GATEWAY_HOST', 'ADMIN_HOST', 'ADMIN_PORT', 'AWS_REGION', 'LAMBDA_ENDPOINT', 'LAMBDA_STAGE']
const where = { path: 'legacy.url', file: 'fuzz.yaml' }
const hostile = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('${A}', '$${', '${', '}', '${A:-', 'x: y', '# c', 'a\nb: c', '\u0000', '%', '-1', '1e309', 'true', 'null', '[1]', '{a: 1}')
)
const env = fc.dictionary(fc.constantFrom(...NAMES), hostile, { maxKeys: 6 })
const anyText = fc.oneof(fc.string({ maxLength: 30 }), fc.array(fc.constantFrom('$', '{', '}', ':-', '$${', '${', 'A', 'B_1', '-', 'x'), { maxLength: 12 }).map(p => p.join('')))

function interpolate (text: string, vars: NodeJS.ProcessEnv): { value: string, problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = []
  return { value: interpolateString(text, vars, where, problems), problems }
}

t.test('any text, any environment: never throws, problems filed under the value\'s path', async t => {
  checkProperty(t, 'never throws', fc.property(anyText, env, (text, vars) => {
    const { value, problems } = interpolate(text, vars)
    return typeof value === 'string' && problems.every(p => p.path === where.path && typeof p.message === 'string' && p.message.includes('fuzz.yaml'))
  }), PROPERTIES)
})

t.test('text without ${ is returned as is', async t => {
  checkProperty(t, 'no reference, no change', fc.property(fc.string().filter(s => !s.includes('${')), env, (text, vars) => {
    const { value, problems } = interpolate(text, vars)
    return value === text && problems.length === 0
  }), PROPERTIES)
})

type Part = { kind: 'text', text: string } | { kind: 'ref', name: string } | { kind: 'default', name: string, fallback: string } | { kind: 'escape' }
const part: fc.Arbitrary<Part> = fc.oneof(
  fc.string({ maxLength: 8 }).filter(s => !s.includes('$')).map(text => ({ kind: 'text' as const, text })),
  fc.constantFrom(...NAMES).map(name => ({ kind: 'ref' as const, name })),
  fc.tuple(fc.constantFrom(...NAMES), fc.string({ maxLength: 8 }).filter(s => !s.includes('}'))).map(([name, fallback]) => ({ kind: 'default' as const, name, fallback })),
  fc.constant({ kind: 'escape' as const })
)
const source = (p: Part): string => p.kind === 'text' ? p.text : p.kind === 'ref' ? `\${${p.name}}` : p.kind === 'default' ? `\${${p.name}:-${p.fallback}}` : '$${'

t.test('a template becomes what the rules say, in one pass', async t => {
  // Every ${NAME} without default is set (non-empty), so no problems are expected.
  const setEnv = fc.record(Object.fromEntries(NAMES.map(n => [n, fc.option(hostile.filter(v => v !== ''), { nil: undefined })])))
  checkProperty(t, 'model of the rules', fc.property(fc.array(part, { maxLength: 8 }), setEnv, (parts, vars) => {
    const usable = parts.filter(p => p.kind !== 'ref' || vars[p.name] !== undefined)
    const text = usable.map(source).join('')
    const expected = usable.map(p => p.kind === 'text' ? p.text : p.kind === 'ref' ? vars[p.name] ?? '' : p.kind === 'default' ? (vars[p.name] ?? '') === '' ? p.fallback : vars[p.name] ?? '' : '${').join('')
    const { value, problems } = interpolate(text, vars)
    return value === expected && problems.length === 0
  }), PROPERTIES)
})

const shipped = readFileSync(new URL('../../config/gateway.yaml', import.meta.url), 'utf8')
const typedConfigError = (err: unknown): boolean => ['GW_ERR_CONFIG_INVALID', 'GW_ERR_CONFIG_READ'].includes((err as { code?: string }).code ?? '')

t.test('the shipped config under any environment: a config or a typed config error', async t => {
  checkProperty(t, 'shipped config', fc.property(env, vars => {
    try {
      return typeof parseConfig(shipped, { file: 'config/gateway.yaml', env: vars }).stage === 'string'
    } catch (err) {
      if (typedConfigError(err)) return true
      throw err
    }
  }), PROPERTIES, 100)
})

t.test('any YAML document of ${…} strings: a config or a typed config error', async t => {
  const leaf = fc.oneof(hostile, anyText, fc.integer(), fc.boolean(), fc.constant(null))
  const tree = fc.letrec<{ node: unknown }>(tie => ({
    node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.array(tie('node'), { maxLength: 3 }),
      fc.dictionary(fc.constantFrom('stage', 'server', 'legacy', 'routes', 'port', 'url', 'id', 'path', 'target', 'x'), tie('node'), { maxKeys: 4 }))
  })).node
  checkProperty(t, 'any document', fc.property(tree, env, (doc, vars) => {
    try {
      parseConfig(stringify(doc), { file: 'fuzz.yaml', env: vars })
      return true
    } catch (err) {
      if (typedConfigError(err)) return true
      throw err
    }
  }), PROPERTIES, 500)
})
