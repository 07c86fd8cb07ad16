// docs/config.md documents every setting of the schema (so a new setting cannot go undocumented)
// and its full example is a valid config.
import t from 'tap'
import { readFileSync } from 'node:fs'
import type { TSchema } from '@sinclair/typebox'
import { GatewayConfigSchema } from '../../gateway/src/config/schema.js'
import { parseConfig } from '../../gateway/src/config/load-config.js'

const docs = readFileSync('docs/config.md', 'utf8')

function settingPaths (schema: TSchema, prefix: string): string[] {
  const s = schema as TSchema & { properties?: Record<string, TSchema>, items?: TSchema, patternProperties?: Record<string, TSchema> }
  if (s.properties !== undefined) {
    return Object.entries(s.properties).flatMap(([key, child]) => {
      const path = prefix === '' ? key : `${prefix}.${key}`
      return [path, ...settingPaths(child, path)]
    })
  }
  if (s.items !== undefined) return settingPaths(s.items, `${prefix}[]`)
  if (s.patternProperties !== undefined) return settingPaths(Object.values(s.patternProperties)[0]!, `${prefix}.<name>`)
  return []
}

t.test('every setting has a row (sections a heading) in docs/config.md', async t => {
  const paths = settingPaths(GatewayConfigSchema, '')
  t.ok(paths.length > 30, `${paths.length} settings`)
  const missing = paths.filter(path => !docs.includes(`| \`${path}\` |`) && !docs.includes(`### \`${path}\``))
  t.same(missing, [], 'settings without a row (or section heading) in docs/config.md')
})

t.test('the full example in docs/config.md is a valid config', async t => {
  const block = /## Full example\n```yaml\n([\s\S]*?)```/.exec(docs)?.[1]
  t.ok(block, 'example found')
  const config = parseConfig(block ?? '', { env: {} })
  t.equal(config.routes[0]?.lambda?.context, 'users')
  t.equal(config.lambda.contexts.users?.roleArn, 'arn:aws:iam::111111111111:role/gateway-invoke-users')
})
