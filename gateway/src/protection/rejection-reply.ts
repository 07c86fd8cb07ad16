// Maps a protection rejection to the gateway's problem+json answer: 429/503, `Retry-After`,
// and on a 429 the `RateLimit-*` headers of the bucket that refused.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { sendProblem } from '../http/problem.js'
import type { ProtectionRejection } from './rejection.js'

export function sendRejection (request: FastifyRequest, reply: FastifyReply, err: ProtectionRejection): FastifyReply {
  return sendProblem(request, reply, err, { headers: err.headers })
}

/**
 * An AbortSignal that fires when the client goes away before its answer was written, so a
 * queued request leaves the queue and an in-flight one can be cancelled.
 */
export function clientGoneSignal (reply: FastifyReply): AbortSignal {
  const controller = new AbortController()
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) {
      controller.abort(Object.assign(new Error('client closed the connection'), { name: 'AbortError' }))
    }
  })
  return controller.signal
}
