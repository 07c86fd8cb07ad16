// The runtime reads functions from the SAM template: intrinsics resolved, defaults, clear errors.
import t from 'tap'
import { parseTemplate, TemplateError } from '../../lambdas/runtime/template.js'
import { parseFunctionRef } from '../../lambdas/runtime/function-ref.js'

const opts = { region: 'eu-central-1', accountId: '123456789012', now: () => new Date('2026-12-04T12:00:00Z') }
const template = (props: string): string => `
Parameters:
  Stage: { Type: String, Default: DEV }
Resources:
  Role: { Type: AWS::IAM::Role }
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs24.x
${props}`

t.test('resolves !Sub, !Ref, pseudo parameters and overrides', async t => {
  const [fn] = parseTemplate(template(`      FunctionName: !Sub Users-\${Stage}
      CodeUri: dist/users/
      Handler: index.handler
      Timeout: 5
      MemorySize: 256
      ReservedConcurrentExecutions: 4
      Environment:
        Variables:
          STAGE: !Ref Stage
          ARN: !Sub arn:\${AWS::Partition}:x:\${AWS::Region}:\${AWS::AccountId}`), '/base', { ...opts, parameterOverrides: { Stage: 'PROD' } })
  t.same(fn, {
    name: 'Users-PROD',
    logicalId: 'Fn',
    codeDir: '/base/dist/users',
    handlerFile: 'index',
    handlerExport: 'handler',
    runtime: 'nodejs24.x',
    runtimeStatus: 'supported',
    timeoutSeconds: 5,
    memorySizeMb: 256,
    reservedConcurrency: 4,
    environment: { STAGE: 'PROD', ARN: 'arn:aws:x:eu-central-1:123456789012' },
    tracing: 'PassThrough'
  })
})

t.test('defaults as Lambda has them; non-function resources ignored', async t => {
  const fns = parseTemplate(template('      Handler: app.main'), '/b', opts)
  t.equal(fns.length, 1)
  t.match(fns[0], { name: 'Fn', timeoutSeconds: 3, memorySizeMb: 128, reservedConcurrency: undefined, handlerFile: 'app', handlerExport: 'main', codeDir: '/b', tracing: 'PassThrough' })
})

t.test('clear errors for what cannot run', async t => {
  t.throws(() => parseTemplate(template('      Handler: nodot'), '/b', opts), new TemplateError('Fn.Handler must be <file>.<export>, found "nodot"'))
  t.throws(() => parseTemplate(template('      Handler: i.h\n      Timeout: 0'), '/b', opts), new TemplateError('Fn.Timeout must be a positive number, found 0'))
  t.throws(() => parseTemplate(template('      Handler: i.h\n      FunctionName: !Ref Nope'), '/b', opts), new TemplateError('Fn.FunctionName: !Ref Nope names no parameter'))
  t.throws(() => parseTemplate(template('      Handler: i.h\n      ReservedConcurrentExecutions: 1.5'), '/b', opts), /whole number/)
  t.throws(() => parseTemplate(template('      Handler: i.h\n      Tracing: On'), '/b', opts), new TemplateError('Fn.Tracing must be Active or PassThrough, found "On"'))
  t.equal(parseTemplate(template('      Handler: i.h\n      Tracing: Active'), '/b', opts)[0]?.tracing, 'Active')
})

t.test('function references: name, name:qualifier, ARNs, Qualifier query', async t => {
  t.same(parseFunctionRef('Users-DEV', null), { ok: true, name: 'Users-DEV', qualifier: undefined })
  t.same(parseFunctionRef('Users-DEV:live', null), { ok: true, name: 'Users-DEV', qualifier: 'live' })
  t.same(parseFunctionRef('arn:aws:lambda:eu-central-1:1:function:Users-DEV:$LATEST', null), { ok: true, name: 'Users-DEV', qualifier: '$LATEST' })
  t.same(parseFunctionRef('1:function:Users-DEV', '$LATEST'), { ok: true, name: 'Users-DEV', qualifier: '$LATEST' })
  t.match(parseFunctionRef('Users-DEV:a', 'b'), { ok: false })
  t.match(parseFunctionRef('bad name', null), { ok: false })
  t.match(parseFunctionRef('arn:aws:lambda:x', null), { ok: false })
})
