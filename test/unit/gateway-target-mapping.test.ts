// Pure mappings of the targets: reply-from/undici failures → the gateway's typed legacy errors,
// route paths → API Gateway route keys, problem bodies.
import t from 'tap'
import { mapLegacyError } from '../../gateway/src/targets/legacy-errors.js'
import { routeKeyFor } from '../../gateway/src/targets/forward-context.js'
import { problemType, toProblem } from '../../gateway/src/http/problem.js'
import { PayloadTooLargeError } from '../../gateway/src/errors.js'

const wrap = (code: string, outer = 'FST_REPLY_FROM_INTERNAL_SERVER_ERROR'): Error =>
  Object.assign(new Error('outer'), { code: outer, cause: Object.assign(new Error('inner'), { code }) })

t.test('legacy failures map to 502/504 with a plain reason', async (t) => {
  const cases: Array<[Error, string, string]> = [
    [wrap('ECONNREFUSED'), 'GW_ERR_LEGACY_UNAVAILABLE', 'legacy backend unreachable: connection refused'],
    [wrap('x', 'ECONNRESET'), 'GW_ERR_LEGACY_UNAVAILABLE', 'legacy backend unreachable: connection reset'],
    [wrap('UND_ERR_SOCKET'), 'GW_ERR_LEGACY_UNAVAILABLE', 'legacy backend unreachable: connection reset'],
    [wrap('x', 'UND_ERR_CONNECT_TIMEOUT'), 'GW_ERR_LEGACY_UNAVAILABLE', 'legacy backend unreachable: connect timeout'],
    [wrap('ENOTFOUND'), 'GW_ERR_LEGACY_UNAVAILABLE', 'legacy backend unreachable: host not found'],
    [wrap('DEPTH_ZERO_SELF_SIGNED_CERT'), 'GW_ERR_LEGACY_UNAVAILABLE', 'legacy backend unreachable: TLS certificate not trusted'],
    [wrap('CERT_HAS_EXPIRED'), 'GW_ERR_LEGACY_UNAVAILABLE', 'legacy backend unreachable: TLS certificate expired'],
    [wrap('UND_ERR_HEADERS_TIMEOUT', 'FST_REPLY_FROM_GATEWAY_TIMEOUT'), 'GW_ERR_LEGACY_TIMEOUT', 'legacy backend did not answer within 1500 ms'],
    [wrap('UND_ERR_BODY_TIMEOUT'), 'GW_ERR_LEGACY_TIMEOUT', 'legacy backend did not answer within 1500 ms'],
    [new Error('weird'), 'GW_ERR_LEGACY_UNAVAILABLE', 'legacy backend unreachable: upstream error']
  ]
  for (const [err, code, message] of cases) {
    const mapped = mapLegacyError(err, 1500)
    t.equal(mapped.code, code, message)
    t.equal(mapped.message, message)
    if (code !== 'GW_ERR_REQUEST_PAYLOAD_TOO_LARGE') t.equal((mapped as { cause?: unknown }).cause, err, 'cause kept')
  }
})

t.test('a body-limit error inside the upstream failure stays a 413', async (t) => {
  const tooLarge = new PayloadTooLargeError(10)
  const mapped = mapLegacyError(Object.assign(new Error('x'), { cause: tooLarge }), 1000)
  t.equal(mapped, tooLarge)
  t.equal(mapped.statusCode, 413)
})

t.test('route keys in API Gateway style', async (t) => {
  t.equal(routeKeyFor('GET', '/api/users/:id'), 'GET /api/users/{id}')
  t.equal(routeKeyFor('GET', '/api/budgets/:projectId'), 'GET /api/budgets/{projectId}')
  t.equal(routeKeyFor('POST', '/api/projects'), 'POST /api/projects')
  t.equal(routeKeyFor('GET', '/files/*'), 'GET /files/{proxy+}')
})

t.test('problem bodies', async (t) => {
  t.equal(problemType('GW_ERR_LEGACY_TIMEOUT'), 'urn:strangler-gateway:problem:legacy-timeout')
  t.same(toProblem({ code: 'GW_ERR_X', statusCode: 418, message: 'm' }, 'r'), {
    type: 'urn:strangler-gateway:problem:x', title: 'Error', status: 418, detail: 'm', code: 'GW_ERR_X', requestId: 'r'
  })
})
