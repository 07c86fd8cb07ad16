// Last N mismatches per route, bounded in routes, entries and body size; secrets redacted.
import type { DiffEntry } from './compare/diff.js'

export interface MismatchRecord {
  at: string
  method: string
  url: string
  primary: 'legacy' | 'lambda'
  legacy: { status: number, body: string }
  lambda: { status: number, body: string }
  diffs: DiffEntry[]
}

const SECRET_HEADERS = new Set(['authorization', 'cookie', 'set-cookie', 'proxy-authorization', 'x-api-key'])
const SECRET_KEY = /(token|secret|password|passwd|authorization|cookie|api[-_]?key|credential)/i
const REDACTED = '[redacted]'

export function isSecretHeader (name: string): boolean { return SECRET_HEADERS.has(name.toLowerCase()) }

/** Redacts values of secret-looking keys at any depth of a JSON text; non-JSON text is returned as is. */
export function redactBody (body: string, maxChars: number): string {
  let text = body
  try {
    text = JSON.stringify(redactValue(JSON.parse(body)))
  } catch { /* not JSON: keep as is */ }
  return text.length > maxChars ? text.slice(0, maxChars) + '…[truncated]' : text
}

export function redactValue (v: unknown): unknown {
  if (Array.isArray(v)) return v.map(redactValue)
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, x] of Object.entries(v)) out[k] = SECRET_KEY.test(k) ? REDACTED : redactValue(x)
    return out
  }
  return v
}

function redactDiff (d: DiffEntry): DiffEntry {
  const last = d.path.split(/[.[\]]/).filter(Boolean).pop() ?? ''
  if (SECRET_KEY.test(last) || (d.path.startsWith('headers.') && isSecretHeader(d.path.slice(8)))) {
    // Absent stays absent: which side lacks the field is no secret, and it is the finding.
    return { path: d.path, legacy: d.legacy === undefined ? undefined : REDACTED, lambda: d.lambda === undefined ? undefined : REDACTED }
  }
  return { path: d.path, legacy: redactValue(d.legacy), lambda: redactValue(d.lambda) }
}

export interface MismatchStoreOptions { perRoute?: number, maxRoutes?: number, maxBodyChars?: number }

export class MismatchStore {
  private readonly byRoute = new Map<string, MismatchRecord[]>()
  private readonly perRoute: number
  private readonly maxRoutes: number
  private readonly maxBodyChars: number
  constructor (o: MismatchStoreOptions = {}) {
    this.perRoute = o.perRoute ?? 20
    this.maxRoutes = o.maxRoutes ?? 500
    this.maxBodyChars = o.maxBodyChars ?? 2048
  }

  add (route: string, r: MismatchRecord): void {
    let list = this.byRoute.get(route)
    if (list === undefined) {
      if (this.byRoute.size >= this.maxRoutes) {
        const oldest = this.byRoute.keys().next().value
        if (oldest !== undefined) this.byRoute.delete(oldest)
      }
      list = []
      this.byRoute.set(route, list)
    }
    list.push({
      ...r,
      url: r.url.slice(0, 512),
      legacy: { status: r.legacy.status, body: redactBody(r.legacy.body, this.maxBodyChars) },
      lambda: { status: r.lambda.status, body: redactBody(r.lambda.body, this.maxBodyChars) },
      diffs: r.diffs.slice(0, 50).map(redactDiff)
    })
    if (list.length > this.perRoute) list.splice(0, list.length - this.perRoute)
  }

  /** Newest first. */
  list (route: string): MismatchRecord[] { return [...(this.byRoute.get(route) ?? [])].reverse() }
}
