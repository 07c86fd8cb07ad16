// The one check of every /admin endpoint, as an onRequest hook: each admin plugin adds it in its
// own encapsulated context, so a new endpoint cannot forget it and all refuse alike (401
// problem+json with WWW-Authenticate). A bearer token is decided by admin-auth.ts (constant
// time). Without an Authorization header, a cockpit session cookie (cockpit/sessions.ts) is
// accepted when the admin server has a session store; a state-changing call on a session also
// needs the session's CSRF header (403 otherwise), so another site cannot drive the API through
// the operator's browser.
import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify'
import { AdminCsrfError, AdminUnauthorizedError } from '../errors.js'
import { sendProblem } from '../http/problem.js'
import { authenticate } from './admin-auth.js'
import type { AdminToken } from './admin-auth.js'
import { CSRF_HEADER, SESSION_COOKIE, cookieValue, csrfMatches } from '../cockpit/sessions.js'
import type { SessionStore } from '../cockpit/sessions.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** Cockpit sessions (decorated by the admin server); absent = bearer tokens only. */
    cockpitSessions?: SessionStore
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD'])

/** onRequest hook refusing a request without a valid admin token or session; `onWho` gets its name. */
export function adminAuthHook (tokens: AdminToken[], onWho?: (request: FastifyRequest, who: string) => void): onRequestHookHandler {
  return async function requireAdminToken (request: FastifyRequest, reply: FastifyReply) {
    const decision = authenticate(request.headers.authorization, tokens)
    if (decision.ok) {
      onWho?.(request, decision.who)
      return
    }
    const sessions = request.server.cockpitSessions
    if (request.headers.authorization === undefined && sessions !== undefined && tokens.length > 0) {
      const session = sessions.get(cookieValue(request.headers.cookie, SESSION_COOKIE))
      if (session !== undefined) {
        if (!SAFE_METHODS.has(request.method) && !csrfMatches(session, request.headers[CSRF_HEADER])) {
          return sendProblem(request, reply, new AdminCsrfError(`a ${request.method} needs the ${CSRF_HEADER} header of the session`))
        }
        onWho?.(request, session.who)
        return
      }
    }
    return sendProblem(request, reply, new AdminUnauthorizedError(decision.reason), {
      headers: { 'www-authenticate': 'Bearer realm="gateway-admin"' }
    })
  }
}
