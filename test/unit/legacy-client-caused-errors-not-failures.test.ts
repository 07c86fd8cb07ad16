// Issue 14 item 2, the audit: undici's refusals of what the client sent are the client's fault.
// They map to 400 GW_ERR_REQUEST_INVALID (never a 502 that blames legacy) and are not breaker
// failures; a real transport failure of legacy still is.
import t from 'tap'
import { errors } from 'undici'
import { isClientCausedError, mapLegacyError } from '../../gateway/src/targets/legacy-errors.js'
import { RequestBodyIncompleteError } from '../../gateway/src/errors.js'

const wrapped = (cause: Error): Error => Object.assign(new Error('reply-from failed'), { code: 'FST_REPLY_FROM_INTERNAL_SERVER_ERROR', cause })

t.test('client-caused undici errors → 400, not an upstream failure', async (t) => {
  const clientCaused = [
    new errors.InvalidArgumentError('expect header not supported'),
    new errors.RequestContentLengthMismatchError(),
    new errors.RequestAbortedError(),
    new errors.NotSupportedError('upgrade'),
    new RequestBodyIncompleteError('3 of 10 declared bytes')
  ]
  for (const err of clientCaused) {
    t.ok(isClientCausedError(wrapped(err)), `${err.constructor.name} is the client's`)
    const mapped = mapLegacyError(wrapped(err), 5000)
    t.equal(mapped.code, 'GW_ERR_REQUEST_INVALID', `${err.constructor.name} → GW_ERR_REQUEST_INVALID`)
    t.equal(mapped.statusCode, 400)
  }
})

t.test('legacy transport failures stay 502/504 upstream failures', async (t) => {
  const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })
  t.notOk(isClientCausedError(wrapped(reset)))
  t.equal(mapLegacyError(wrapped(reset), 5000).code, 'GW_ERR_LEGACY_UNAVAILABLE')
  t.notOk(isClientCausedError(new errors.HeadersTimeoutError()))
  t.equal(mapLegacyError(new errors.HeadersTimeoutError(), 5000).code, 'GW_ERR_LEGACY_TIMEOUT')
  t.notOk(isClientCausedError(new errors.SocketError('other side closed')))
})
