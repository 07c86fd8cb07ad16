// The local runtime refuses a Runtime that Lambda would no longer accept for a new function
// (lambdas/runtime/node-runtimes.ts), on a pinned clock: the same template passes or fails the
// same way on any day the suite runs.
import t from 'tap'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { checkNodeRuntime, LAMBDA_NODE_RUNTIMES, RuntimeNotAcceptedError } from '../../lambdas/runtime/node-runtimes.js'
import { loadTemplate, parseTemplate, TemplateError } from '../../lambdas/runtime/template.js'
import { startLambdaRuntime } from '../../lambdas/runtime/start.js'

const TODAY = new Date('2026-12-04T12:00:00Z')
const opts = { region: 'eu-central-1', accountId: '123456789012', now: () => TODAY }
const template = (runtime: string | null): string => `
Resources:
  UsersFunction:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: Users-DEV
      Handler: index.handler
${runtime === null ? '' : `      Runtime: ${runtime}\n`}`

t.test('nodejs20.x is refused on 2026-12-04 (creating functions blocked since 2026-08-31)', async t => {
  t.throws(() => parseTemplate(template('nodejs20.x'), '/b', opts), new RuntimeNotAcceptedError(
    'UsersFunction.Runtime: Lambda no longer accepts nodejs20.x (deprecated 2026-04-30, creating functions blocked from 2026-08-31, updating from 2026-09-30); use nodejs24.x', 'nodejs20.x'))
  const err = (() => { try { parseTemplate(template('nodejs18.x'), '/b', opts) } catch (e) { return e } })()
  t.ok(err instanceof RuntimeNotAcceptedError, 'a typed error')
  t.match(err, { code: 'LAMBDA_RUNTIME_ERR_RUNTIME', runtime: 'nodejs18.x' })
})

t.test('nodejs24.x and nodejs22.x are accepted on 2026-12-04', async t => {
  t.match(parseTemplate(template('nodejs24.x'), '/b', opts), [{ name: 'Users-DEV', runtime: 'nodejs24.x', runtimeStatus: 'supported' }])
  t.match(parseTemplate(template('nodejs22.x'), '/b', opts), [{ runtime: 'nodejs22.x', runtimeStatus: 'supported' }])
})

t.test('the dates decide, day by day (UTC)', async t => {
  const at = (iso: string): Date => new Date(iso)
  t.equal(checkNodeRuntime('nodejs22.x', at('2027-04-29T23:59:59Z'), 'x'), 'supported')
  t.equal(checkNodeRuntime('nodejs22.x', at('2027-04-30T00:00:00Z'), 'x'), 'deprecated', 'deprecated: still accepted')
  t.equal(checkNodeRuntime('nodejs22.x', at('2027-05-31T23:59:59Z'), 'x'), 'deprecated')
  t.throws(() => checkNodeRuntime('nodejs22.x', at('2027-06-01T00:00:00Z'), 'x'), { code: 'LAMBDA_RUNTIME_ERR_RUNTIME', runtime: 'nodejs22.x' }, 'blocked from the block-create day')
  t.equal(checkNodeRuntime('nodejs24.x', at('2028-05-31T00:00:00Z'), 'x'), 'deprecated')
  t.throws(() => checkNodeRuntime('nodejs24.x', at('2028-06-01T00:00:00Z'), 'x'), { code: 'LAMBDA_RUNTIME_ERR_RUNTIME', runtime: 'nodejs24.x' })
  t.strictSame(LAMBDA_NODE_RUNTIMES['nodejs24.x'], { deprecation: '2028-04-30', blockCreate: '2028-06-01', blockUpdate: '2028-07-01' })
  t.strictSame(LAMBDA_NODE_RUNTIMES['nodejs22.x'], { deprecation: '2027-04-30', blockCreate: '2027-06-01', blockUpdate: '2027-07-01' })
})

t.test('unknown, non-Node or missing runtimes are refused with what is accepted', async t => {
  t.throws(() => parseTemplate(template('python3.13'), '/b', opts),
    new RuntimeNotAcceptedError('UsersFunction.Runtime: "python3.13" is not a Lambda Node.js runtime this runtime knows (nodejs18.x, nodejs20.x, nodejs22.x, nodejs24.x)', 'python3.13'))
  t.throws(() => parseTemplate(template('toString'), '/b', opts), { code: 'LAMBDA_RUNTIME_ERR_RUNTIME', runtime: 'toString' }, 'no prototype key passes')
  t.throws(() => parseTemplate(template(null), '/b', opts), new TemplateError('UsersFunction.Runtime is missing (a Lambda Node.js runtime, e.g. nodejs24.x)'))
})

t.test("the project's template: every function on nodejs24.x, accepted today", async t => {
  const path = fileURLToPath(new URL('../../lambdas/template.yaml', import.meta.url))
  const specs = loadTemplate(path, opts)
  t.equal(specs.length, 4)
  for (const s of specs) t.match(s, { runtime: 'nodejs24.x', runtimeStatus: 'supported' }, s.name)
})

t.test('startLambdaRuntime refuses a nodejs20.x template before it listens', async t => {
  const dir = t.testdir()
  const path = join(dir, 'template.yaml')
  writeFileSync(path, template('nodejs20.x'))
  await t.rejects(startLambdaRuntime({ templatePath: path, port: 0, now: () => TODAY }), { code: 'LAMBDA_RUNTIME_ERR_RUNTIME', runtime: 'nodejs20.x' })
  writeFileSync(path, template('nodejs24.x'))
  const warnings: string[] = []
  const runtime = await startLambdaRuntime({ templatePath: path, port: 0, now: () => new Date('2028-05-02T00:00:00Z'), logger: { info: () => {}, warn: m => warnings.push(m), error: () => {} } })
  t.teardown(() => runtime.close())
  t.strictSame(warnings, ['lambda runtime: Users-DEV uses nodejs24.x, which Lambda has deprecated (no more patches); move to a supported runtime'], 'deprecated but accepted: one warning')
})
