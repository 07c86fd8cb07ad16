// Cockpit sessions: the login form exchanges an admin token for a random session id (an HttpOnly,
// SameSite=Strict cookie) and a CSRF token the page sends as a header on every state-changing
// call. In memory, per replica, bounded (oldest dropped first), short-lived (absolute expiry).
// Only digests of the ids are kept, so a heap dump does not hand out live sessions.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

export const SESSION_COOKIE = 'gw_cockpit'
export const CSRF_HEADER = 'x-cockpit-csrf'
/** Absolute session lifetime: 30 minutes, then the operator logs in again. */
export const SESSION_TTL_MS = 30 * 60_000
export const MAX_SESSIONS = 200

export interface Session {
  /** The admin token's name (`admin`, or a GATEWAY_ADMIN_TOKENS name): the audit's `who`. */
  who: string
  csrf: string
  expiresAt: number
}

const digest = (value: string): string => createHash('sha256').update(value).digest('base64url')

export class SessionStore {
  private readonly sessions = new Map<string, Session>()

  constructor (private readonly now: () => number = Date.now, private readonly ttlMs = SESSION_TTL_MS) {}

  /** A new session for `who`; returns the cookie value (shown once) and the session. */
  create (who: string): { id: string, session: Session } {
    this.sweep()
    while (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!)
    const id = randomBytes(32).toString('base64url')
    const session = { who, csrf: randomBytes(24).toString('base64url'), expiresAt: this.now() + this.ttlMs }
    this.sessions.set(digest(id), session)
    return { id, session }
  }

  /** The live session of a cookie value, or undefined (unknown, expired). */
  get (id: string | undefined): Session | undefined {
    if (id === undefined || id === '') return undefined
    const key = digest(id)
    const s = this.sessions.get(key)
    if (s === undefined) return undefined
    if (s.expiresAt <= this.now()) {
      this.sessions.delete(key)
      return undefined
    }
    return s
  }

  delete (id: string | undefined): void {
    if (id !== undefined) this.sessions.delete(digest(id))
  }

  get size (): number { return this.sessions.size }

  private sweep (): void {
    const now = this.now()
    for (const [key, s] of this.sessions) if (s.expiresAt <= now) this.sessions.delete(key)
  }
}

/** Constant-time check of the CSRF header against the session's token. */
export function csrfMatches (session: Session, header: string | string[] | undefined): boolean {
  if (typeof header !== 'string') return false
  const a = Buffer.from(digest(header))
  const b = Buffer.from(digest(session.csrf))
  return timingSafeEqual(a, b)
}

/** The value of one cookie in a Cookie header (no dependency on @fastify/cookie for one name). */
export function cookieValue (header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim()
  }
  return undefined
}
