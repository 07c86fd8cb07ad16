// A real legacy stub on an ephemeral port for tests, closed by t.teardown, with typed access
// to its control API (/__stats, /__faults, /__reset).
import type { Test } from 'tap'
import type { LegacyStubOptions } from '../../legacy-stub/src/app.js'
import type { Faults, FaultsPatch } from '../../legacy-stub/src/faults.js'
import { startLegacyStub } from '../../legacy-stub/src/start.js'
import type { StatsSnapshot } from '../../legacy-stub/src/stats.js'

export type { StatsSnapshot as Stats } from '../../legacy-stub/src/stats.js'

export interface TestLegacyStub {
  /** e.g. http://127.0.0.1:41234 */
  url: string
  app: Awaited<ReturnType<typeof startLegacyStub>>['app']
  stats: () => Promise<StatsSnapshot>
  /** POST /__faults; works while down too (it is how you bring the stub back). */
  faults: (patch: FaultsPatch) => Promise<Faults>
  /** POST /__reset: counters, faults and data back to the seed. */
  reset: () => Promise<StatsSnapshot>
}

async function control<T> (url: string, method: string, body?: unknown): Promise<T> {
  const init: RequestInit = body === undefined
    ? { method }
    : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
  // Going down resets every pooled connection; the client may only notice on its next write.
  // The control calls are idempotent, so a retry on a fresh connection is safe.
  let res: Response
  try {
    res = await fetch(url, init)
  } catch {
    res = await fetch(url, init)
  }
  const text = await res.text()
  if (!res.ok) throw new Error(`${method} ${url} -> ${res.status}: ${text}`)
  return JSON.parse(text) as T
}

export async function startTestLegacyStub (t: Test, opts: LegacyStubOptions = {}): Promise<TestLegacyStub> {
  const stub = await startLegacyStub({ ...opts, port: 0, host: '127.0.0.1' })
  t.teardown(() => stub.close())
  return {
    url: stub.url,
    app: stub.app,
    stats: async () => await control<StatsSnapshot>(`${stub.url}/__stats`, 'GET'),
    faults: async (patch) => await control<Faults>(`${stub.url}/__faults`, 'POST', patch),
    reset: async () => await control<StatsSnapshot>(`${stub.url}/__reset`, 'POST')
  }
}

export interface JsonResponse {
  status: number
  headers: Headers
  body: any
}

/** fetch + JSON, for asserting whole responses. */
export async function callJson (url: string, init: { method?: string, body?: unknown, headers?: Record<string, string> } = {}): Promise<JsonResponse> {
  const headers: Record<string, string> = { ...init.headers }
  if (init.body !== undefined && headers['content-type'] === undefined) headers['content-type'] = 'application/json'
  const res = await fetch(url, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body)
  })
  const text = await res.text()
  return { status: res.status, headers: res.headers, body: text === '' ? undefined : JSON.parse(text) }
}

/** The fixed part of an ASP.NET ProblemDetails; `traceId` is checked for shape only. */
export const TRACE_ID = /^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/
