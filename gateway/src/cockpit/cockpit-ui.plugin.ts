// The migration cockpit at /ui on the admin listener (never the public one): the static page and
// its login. POST /ui/login exchanges an admin token (constant-time check, admin-auth.ts) for an
// HttpOnly, SameSite=Strict session cookie and a CSRF token; the page then calls the same
// /admin/* API as gatewayctl (admin-auth-hook.ts accepts the session), so actions have the same
// semantics and audit. Every /ui answer carries a strict CSP (no inline script or style),
// X-Frame-Options: DENY and no-store; the token is only ever in a POST body, never logged.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AdminCsrfError, AdminNotFoundError, AdminUnauthorizedError } from '../errors.js'
import { sendProblem } from '../http/problem.js'
import { authenticate } from '../ops/admin-auth.js'
import type { AdminToken } from '../ops/admin-auth.js'
import { CSRF_HEADER, SESSION_COOKIE, cookieValue, csrfMatches } from './sessions.js'
import type { SessionStore } from './sessions.js'
import { loadStaticAssets } from './static-assets.js'
import type { StaticAsset } from './static-assets.js'

export const CSP = [
  "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self'", "connect-src 'self'",
  "form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'"
].join('; ')

export interface CockpitUiOptions {
  tokens: AdminToken[]
  sessions: SessionStore
  /** Static files; default the gateway/cockpit-ui folder. */
  assets?: Map<string, StaticAsset>
}

function securityHeaders (reply: FastifyReply): void {
  reply.header('content-security-policy', CSP)
    .header('x-frame-options', 'DENY')
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('cross-origin-opener-policy', 'same-origin')
    .header('cross-origin-resource-policy', 'same-origin')
    .header('cache-control', 'no-store')
}

function sendAsset (request: FastifyRequest, reply: FastifyReply, asset: StaticAsset): FastifyReply {
  reply.header('content-type', asset.type).header('vary', 'accept-encoding')
  if (/\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) {
    return reply.header('content-encoding', 'gzip').send(asset.gzip)
  }
  return reply.send(asset.body)
}

function cookie (value: string, maxAgeS: number): string {
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeS}`
}

function filesOrNone (app: FastifyInstance, opts: CockpitUiOptions): Map<string, StaticAsset> | undefined {
  if (opts.assets !== undefined) return opts.assets
  try {
    return loadStaticAssets()
  } catch (err) {
    // An image built without the page still serves the admin API; /ui says why it is missing.
    app.log.warn({ err: (err as Error).message }, 'cockpit: the page files are not installed, /ui answers 404')
    return undefined
  }
}

export async function cockpitUi (app: FastifyInstance, opts: CockpitUiOptions): Promise<void> {
  const assets = filesOrNone(app, opts)
  const { sessions } = opts
  app.addHook('onRequest', async (_request, reply) => { securityHeaders(reply) })

  app.get('/ui', async (_request, reply) => reply.redirect('/ui/', 302))
  app.get('/ui/', async (request, reply) => {
    const page = assets?.get('index.html')
    if (page === undefined) return sendProblem(request, reply, new AdminNotFoundError('the cockpit page files are not installed (gateway/cockpit-ui)'))
    return sendAsset(request, reply, page)
  })
  app.get<{ Params: { file: string } }>('/ui/assets/:file', async (request, reply) => {
    const asset = request.params.file === 'index.html' ? undefined : assets?.get(request.params.file)
    if (asset === undefined) return sendProblem(request, reply, new AdminNotFoundError('no such cockpit file'))
    return sendAsset(request, reply, asset)
  })

  app.post<{ Body: unknown }>('/ui/login', {
    schema: { body: { type: 'object', properties: { token: { type: 'string', minLength: 1, maxLength: 1024 } }, required: ['token'], additionalProperties: false } }
  }, async (request, reply) => {
    const { token } = request.body as { token: string }
    const decision = authenticate(`Bearer ${token}`, opts.tokens)
    if (!decision.ok) {
      request.log.warn({ requestId: request.id, reason: decision.reason }, 'cockpit login refused')
      const reason = opts.tokens.length === 0 ? decision.reason : 'that token is not an admin token'
      return sendProblem(request, reply, new AdminUnauthorizedError(reason))
    }
    const { id, session } = sessions.create(decision.who)
    request.log.info({ who: session.who }, 'cockpit login')
    reply.header('set-cookie', cookie(id, Math.floor((session.expiresAt - Date.now()) / 1000)))
    return { who: session.who, csrf: session.csrf, expiresAt: new Date(session.expiresAt).toISOString() }
  })

  app.get('/ui/session', async (request, reply) => {
    const session = sessions.get(cookieValue(request.headers.cookie, SESSION_COOKIE))
    if (session === undefined) return sendProblem(request, reply, new AdminUnauthorizedError('not logged in (or the session expired)'))
    return { who: session.who, csrf: session.csrf, expiresAt: new Date(session.expiresAt).toISOString() }
  })

  app.post('/ui/logout', async (request, reply) => {
    const id = cookieValue(request.headers.cookie, SESSION_COOKIE)
    const session = sessions.get(id)
    if (session !== undefined && !csrfMatches(session, request.headers[CSRF_HEADER])) {
      return sendProblem(request, reply, new AdminCsrfError(`logout needs the ${CSRF_HEADER} header`))
    }
    sessions.delete(id)
    reply.header('set-cookie', cookie('', 0))
    return { ok: true }
  })
}
