// The one bearer check of every /admin endpoint, as an onRequest hook: each admin plugin adds it
// in its own encapsulated context, so a new endpoint cannot forget it and all refuse alike
// (401 problem+json with WWW-Authenticate). Decided by admin-auth.ts (constant time).
import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify'
import { AdminUnauthorizedError } from '../errors.js'
import { sendProblem } from '../http/problem.js'
import { authenticate } from './admin-auth.js'
import type { AdminToken } from './admin-auth.js'

/** onRequest hook refusing a request without a valid admin token; `onWho` gets the token's name. */
export function adminAuthHook (tokens: AdminToken[], onWho?: (request: FastifyRequest, who: string) => void): onRequestHookHandler {
  return async function requireAdminToken (request: FastifyRequest, reply: FastifyReply) {
    const decision = authenticate(request.headers.authorization, tokens)
    if (decision.ok) {
      onWho?.(request, decision.who)
      return
    }
    return sendProblem(request, reply, new AdminUnauthorizedError(decision.reason), {
      headers: { 'www-authenticate': 'Bearer realm="gateway-admin"' }
    })
  }
}
