// The page's calls to the admin API: same origin, the session cookie (HttpOnly, sent by the
// browser) and, on every state-changing call, the session's CSRF token as a header.
let csrf = null

export function setCsrf (value) { csrf = value }

export class ApiError extends Error {
  constructor (status, problem) {
    super(problem?.detail ?? `HTTP ${status}`)
    this.status = status
    this.code = problem?.code ?? null
  }
}

/** Resolves to { json, etag }; rejects with ApiError carrying the problem's status and code. */
export async function api (method, path, body, headers = {}) {
  const h = { accept: 'application/json', ...headers }
  if (body !== undefined) h['content-type'] = 'application/json'
  if (method !== 'GET' && csrf !== null) h['x-cockpit-csrf'] = csrf
  const res = await fetch(path, {
    method,
    headers: h,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
    cache: 'no-store'
  })
  const text = await res.text()
  let json = null
  try { json = text === '' ? null : JSON.parse(text) } catch { json = null }
  if (!res.ok) throw new ApiError(res.status, json)
  return { json, etag: res.headers.get('etag') }
}

export const get = async (path) => (await api('GET', path)).json
