// Admin API authentication: bearer tokens compared in constant time. Tokens come from env (read
// by the config module, passed in here): GATEWAY_ADMIN_TOKEN is the token named `admin`, and
// GATEWAY_ADMIN_TOKENS=name:token,name2:token2 adds named tokens so the audit log's `who` says
// which operator (or pipeline) made a change.
import { createHash, timingSafeEqual } from 'node:crypto'

export interface AdminToken {
  name: string
  /** SHA-256 of the token: compared digest to digest, so lengths are equal and never leak. */
  digest: Buffer
}

export interface AdminTokenEnv {
  GATEWAY_ADMIN_TOKEN?: string | undefined
  GATEWAY_ADMIN_TOKENS?: string | undefined
}

function digest (token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest()
}

/** Parses the token env vars; malformed entries are reported (never half-applied). */
export function parseAdminTokens (env: AdminTokenEnv): { tokens: AdminToken[], errors: string[] } {
  const tokens: AdminToken[] = []
  const errors: string[] = []
  if (env.GATEWAY_ADMIN_TOKEN !== undefined && env.GATEWAY_ADMIN_TOKEN !== '') {
    tokens.push({ name: 'admin', digest: digest(env.GATEWAY_ADMIN_TOKEN) })
  }
  const list = env.GATEWAY_ADMIN_TOKENS?.trim() ?? ''
  if (list !== '') {
    list.split(',').forEach((item, i) => {
      const sep = item.indexOf(':')
      const name = sep === -1 ? '' : item.slice(0, sep).trim()
      const token = sep === -1 ? '' : item.slice(sep + 1).trim()
      if (!/^[A-Za-z0-9._-]{1,64}$/.test(name) || token === '') {
        errors.push(`GATEWAY_ADMIN_TOKENS entry ${i + 1}: expected name:token with name of [A-Za-z0-9._-]`)
      } else if (tokens.some(t => t.name === name)) {
        errors.push(`GATEWAY_ADMIN_TOKENS entry ${i + 1}: duplicate name "${name}"`)
      } else {
        tokens.push({ name, digest: digest(token) })
      }
    })
  }
  return { tokens, errors }
}

export type AuthDecision = { ok: true, who: string } | { ok: false, reason: string }

/**
 * Decides an Authorization header. Every configured token is compared (no early exit), so the
 * time taken does not tell which token, or how much of one, matched.
 */
export function authenticate (authorization: string | undefined, tokens: AdminToken[]): AuthDecision {
  if (tokens.length === 0) return { ok: false, reason: 'no admin token is configured (set GATEWAY_ADMIN_TOKEN)' }
  const m = authorization === undefined ? null : /^Bearer[ \t]+(\S+)\s*$/i.exec(authorization)
  if (m === null) return { ok: false, reason: 'missing bearer token' }
  const presented = digest(m[1]!)
  let who: string | undefined
  for (const t of tokens) {
    if (timingSafeEqual(presented, t.digest) && who === undefined) who = t.name
  }
  return who === undefined ? { ok: false, reason: 'invalid bearer token' } : { ok: true, who }
}

/** Loopback: 127.0.0.0/8, ::1, its IPv4-mapped form and `localhost`. 0.0.0.0 and :: are NOT. */
export function isLoopbackHost (host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '')
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4)
}

/** A reason to refuse to start, or undefined: a non-loopback admin listener needs a token. */
export function adminStartRefusal (adminHost: string, tokens: AdminToken[]): string | undefined {
  if (tokens.length > 0 || isLoopbackHost(adminHost)) return undefined
  return `ADMIN_HOST is ${adminHost} (not loopback) and no GATEWAY_ADMIN_TOKEN is set`
}
