// The contract between the gateway and our functions: every event toHttpApiEvent builds passes the
// envelope schema the functions validate at their boundary (lambdas/shared/http-event.ts), for the
// shapes the gateway produces (GET with params and query, POST with text and binary bodies).
import t from 'tap'
import { Value } from '@sinclair/typebox/value'
import { toHttpApiEvent } from '../../gateway/src/targets/lambda-event.js'
import type { LambdaRequestInput } from '../../gateway/src/targets/lambda-event.js'
import { HttpEventSchema } from '../../lambdas/shared/http-event.js'

const base: LambdaRequestInput = {
  method: 'GET',
  rawPath: '/api/users/1',
  rawQueryString: '',
  headers: { host: 'localhost:8080' },
  body: undefined,
  sourceIp: '127.0.0.1',
  routeKey: 'GET /api/users/{id}',
  pathParameters: { id: '1' },
  stage: 'dev',
  requestId: 'r-1',
  timeEpochMs: Date.UTC(2026, 0, 1),
  domainName: 'localhost'
}

t.test('events the gateway builds pass the functions\' envelope schema', async t => {
  const inputs: Array<[string, LambdaRequestInput]> = [
    ['GET with a path parameter', base],
    ['GET list with repeated query keys and cookies', { ...base, rawPath: '/api/users', pathParameters: {}, rawQueryString: 'a=1&a=2', headers: { cookie: 'a=b; c=d', host: 'h' } }],
    ['POST JSON', { ...base, method: 'POST', rawPath: '/api/projects', pathParameters: {}, headers: { 'content-type': 'application/json' }, body: Buffer.from('{"name":"x"}') }],
    ['POST binary', { ...base, method: 'POST', rawPath: '/api/projects', pathParameters: {}, headers: { 'content-type': 'application/octet-stream' }, body: Buffer.from([0, 1, 2]) }]
  ]
  for (const [name, input] of inputs) {
    const event = toHttpApiEvent(input)
    const errors = [...Value.Errors(HttpEventSchema, event)].map(e => `${e.path}: ${e.message}`)
    t.strictSame(errors, [], `${name}: valid`)
  }
})
