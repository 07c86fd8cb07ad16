// lambdas/template.yaml, parsed with the CloudFormation short-form tags: every function has its
// own role, no policy grants a wildcard action or resource, and each function states its runtime,
// timeout, memory and reserved concurrency on itself (the local runtime reads exactly these).
import { readFileSync } from 'node:fs'
import t from 'tap'
import { parse } from 'yaml'
import type { Tags } from 'yaml'

// !Sub/!Ref/!GetAtt as their long forms; any other tag makes parsing fail loudly.
const cfnTags: Tags = ['Sub', 'Ref', 'GetAtt'].flatMap(name => {
  const key = name === 'Ref' ? 'Ref' : `Fn::${name}`
  const wrap = (value: unknown): unknown => ({ [key]: name === 'GetAtt' && typeof value === 'string' ? value.split('.') : value })
  return [
    { tag: `!${name}`, resolve: (s: string) => wrap(s) },
    { tag: `!${name}`, collection: 'seq' as const, resolve: (seq: { toJSON: () => unknown }) => wrap(seq.toJSON()) }
  ]
}) as unknown as Tags

interface Resource { Type: string, Properties: Record<string, unknown> }
interface Template {
  Transform: string
  Parameters: Record<string, { Default?: string, AllowedValues?: string[] }>
  Resources: Record<string, Resource>
  Globals?: unknown
}

const text = readFileSync(new URL('../../lambdas/template.yaml', import.meta.url), 'utf8')
const template = parse(text, { customTags: cfnTags, strict: true }) as Template
const functions = Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::Serverless::Function')
const roles = Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::IAM::Role')

/** Every string in a value, long-form intrinsics included (the text of a !Sub counts). */
function strings (value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (Array.isArray(value)) return value.flatMap(strings)
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(strings)
  return []
}

interface Statement { Effect: string, Action?: unknown, Resource?: unknown, NotAction?: unknown, NotResource?: unknown }
function statementsOf (role: Resource): Statement[] {
  const policies = (role.Properties.Policies ?? []) as Array<{ PolicyDocument: { Statement: Statement[] } }>
  return policies.flatMap(p => p.PolicyDocument.Statement)
}

t.test('a SAM template with the Stage and GatewayBaseUrl parameters and no Globals', async t => {
  t.equal(template.Transform, 'AWS::Serverless-2016-10-31')
  t.strictSame(template.Parameters.Stage, { ...template.Parameters.Stage, Default: 'DEV', AllowedValues: ['DEV', 'PROD'] })
  t.equal(template.Parameters.GatewayBaseUrl?.Default, 'http://127.0.0.1:8080')
  t.equal(template.Globals, undefined, 'properties live on each function')
})

t.test('the four functions with their contract names, code and handler', async t => {
  const stage = '$' + '{Stage}' // the !Sub placeholder, literally
  const expected: Record<string, [string, string]> = {
    UsersFunction: [`Users-${stage}`, 'dist/users/'],
    ProjectsFunction: [`Projects-${stage}`, 'dist/projects/'],
    BudgetFunction: [`Budget-${stage}`, 'dist/budget/'],
    ForwardBillingFunction: [`ForwardBilling-${stage}`, 'dist/forward-billing/']
  }
  t.strictSame(functions.map(([id]) => id).sort(), Object.keys(expected).sort())
  for (const [id, fn] of functions) {
    const [name, codeUri] = expected[id] ?? []
    t.strictSame(fn.Properties.FunctionName, { 'Fn::Sub': name }, `${id} name`)
    t.equal(fn.Properties.CodeUri, codeUri, `${id} CodeUri`)
    t.equal(fn.Properties.Handler, 'index.handler', `${id} Handler`)
  }
  const env = (functions.find(([id]) => id === 'ForwardBillingFunction')?.[1].Properties.Environment as { Variables: Record<string, unknown> }).Variables
  t.strictSame(env.GATEWAY_BASE_URL, { Ref: 'GatewayBaseUrl' })
})

t.test('every function states runtime nodejs24.x, Timeout, MemorySize and ReservedConcurrentExecutions', async t => {
  for (const [id, fn] of functions) {
    const p = fn.Properties
    t.equal(p.Runtime, 'nodejs24.x', `${id} Runtime`)
    t.ok(Number.isInteger(p.Timeout) && (p.Timeout as number) >= 1 && (p.Timeout as number) <= 900, `${id} Timeout in seconds`)
    t.ok(Number.isInteger(p.MemorySize) && (p.MemorySize as number) >= 128, `${id} MemorySize`)
    t.ok(Number.isInteger(p.ReservedConcurrentExecutions) && (p.ReservedConcurrentExecutions as number) >= 1, `${id} ReservedConcurrentExecutions`)
  }
})

t.test('one role per function, used by no other function, and no managed or shared policies', async t => {
  const used = new Map<string, string[]>()
  for (const [id, fn] of functions) {
    const role = fn.Properties.Role as { 'Fn::GetAtt'?: string[] } | undefined
    t.ok(role?.['Fn::GetAtt']?.[1] === 'Arn', `${id} Role is !GetAtt <Role>.Arn`)
    const roleId = role?.['Fn::GetAtt']?.[0] ?? ''
    t.equal(template.Resources[roleId]?.Type, 'AWS::IAM::Role', `${id} role ${roleId} is a role of this template`)
    used.set(roleId, [...(used.get(roleId) ?? []), id])
    t.notOk('Policies' in fn.Properties, `${id} has no SAM policy templates (they widen the role)`)
  }
  for (const [roleId, users] of used) t.equal(users.length, 1, `${roleId} is used by ${users.join(', ')}`)
  t.equal(roles.length, functions.length, 'no role without its function')
  for (const [roleId, role] of roles) {
    t.equal(role.Properties.ManagedPolicyArns, undefined, `${roleId} has no managed policies`)
  }
  const standalone = Object.values(template.Resources).filter(r => r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy')
  t.equal(standalone.length, 0, 'no policy resource that could attach to two roles')
})

/** The only wildcard allowed: the log-stream part of a named log group's ARN (Lambda names the streams). */
function hasResourceWildcard (resource: string): boolean {
  return resource.replace(/:log-group:[^*:]+:log-stream:\*$/, ':log-group:GROUP:log-stream:STREAM').includes('*')
}

t.test('no policy statement grants a wildcard action or resource, or uses Not*', async t => {
  let statements = 0
  for (const [roleId, role] of roles) {
    for (const s of statementsOf(role)) {
      statements++
      t.equal(s.Effect, 'Allow', `${roleId}: only Allow statements`)
      t.equal(s.NotAction, undefined, `${roleId}: no NotAction`)
      t.equal(s.NotResource, undefined, `${roleId}: no NotResource`)
      for (const action of strings(s.Action)) t.notMatch(action, /\*/, `${roleId}: action ${action}`)
      t.ok(strings(s.Resource).length > 0, `${roleId}: a resource is named`)
      for (const resource of strings(s.Resource)) t.notOk(hasResourceWildcard(resource), `${roleId}: resource ${resource}`)
    }
  }
  t.ok(statements >= functions.length, 'every role has at least one statement to check')
})

t.test('each role may write only to its own function\'s log group', async t => {
  for (const [id, fn] of functions) {
    const name = (fn.Properties.FunctionName as { 'Fn::Sub': string })['Fn::Sub']
    const roleId = (fn.Properties.Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0] ?? ''
    const resources = statementsOf(template.Resources[roleId] as Resource).flatMap(s => strings(s.Resource))
    const group = `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/${name}`
    t.strictSame(resources.sort(), [group, `${group}:log-stream:*`], id)
  }
})

t.test('the checks catch what they claim to (a wildcard and a shared role are found)', async t => {
  const bad = text
    .replace('Action: logs:PutLogEvents', 'Action: logs:*')
    .replace('Role: !GetAtt BudgetFunctionRole.Arn', 'Role: !GetAtt UsersFunctionRole.Arn')
  const parsed = parse(bad, { customTags: cfnTags }) as Template
  const actions = Object.values(parsed.Resources).filter(r => r.Type === 'AWS::IAM::Role').flatMap(r => statementsOf(r)).flatMap(s => strings(s.Action))
  t.ok(actions.some(a => a.includes('*')))
  t.ok(hasResourceWildcard('arn:aws:logs:eu-central-1:1:log-group:*'), 'a wildcard log group is found')
  t.ok(hasResourceWildcard('*'), 'a bare wildcard resource is found')
  t.notOk(hasResourceWildcard('arn:aws:logs:eu-central-1:1:log-group:/aws/lambda/Users-DEV:log-stream:*'), 'the own-group stream suffix is allowed')
  const roleRefs = Object.values(parsed.Resources).filter(r => r.Type === 'AWS::Serverless::Function')
    .map(r => (r.Properties.Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0])
  t.not(new Set(roleRefs).size, roleRefs.length)
})
