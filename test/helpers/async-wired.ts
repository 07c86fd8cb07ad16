// The async integration as the product runs it: startGateway() from a config FILE whose
// billings.create route is async (schema, semantic checks, build()'s wiring, the worker started
// by the shell), the job queue under the state dir. Small backoff and poll for quick tests.
import { wiredConfig } from './wired-gateway.js'

export interface AsyncDocOptions {
  legacyUrl: string
  /** Merged over the legacy block (cap, queue, rate limits, breaker, clientRateLimit). */
  legacy?: Record<string, unknown>
  /** Merged over the async section. */
  async?: Record<string, unknown>
  /** Merged over the route's async block. */
  route?: Record<string, unknown>
  /** Extra routes after billings.create. */
  routes?: unknown[]
}

export const BILLINGS_ROUTE = 'billings.create'

/** A config document with the async billing route (POST /api/billings → legacy, async). */
export function asyncWiredDoc (o: AsyncDocOptions): Record<string, unknown> {
  return wiredConfig({
    legacyUrl: o.legacyUrl,
    legacy: { ...o.legacy },
    routes: [
      {
        id: BILLINGS_ROUTE,
        methods: ['POST'],
        path: '/api/billings',
        target: 'legacy',
        async: { enabled: true, maxAttempts: 50, backoff: { baseMs: 20, maxMs: 200 }, deadLetterAfter: 600_000, ...o.route }
      },
      { id: 'projects.get', methods: ['GET'], path: '/api/projects/:id', target: 'legacy' },
      ...o.routes ?? []
    ],
    extra: { async: { pollMs: 50, workerConcurrency: 2, ...o.async } }
  })
}

export interface JobView { id: string, state: string, attempts: number, result: { status: number, body: string } | null, [k: string]: unknown }

/** GET <gateway><location> as JSON. */
export async function getJob (gatewayUrl: string, location: string): Promise<{ status: number, job: JobView }> {
  const res = await fetch(gatewayUrl + location)
  return { status: res.status, job: await res.json() as JobView }
}

/** Value of one sample of a Prometheus text exposition, or undefined. */
export function metricValue (text: string, name: string, labels: Record<string, string>): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`)
  for (const line of text.split('\n')) {
    if (!line.startsWith(name + '{')) continue
    const inside = line.slice(name.length + 1, line.indexOf('}'))
    const have = inside.split(',')
    if (want.every(w => have.includes(w))) return Number(line.slice(line.indexOf('}') + 1).trim())
  }
  return undefined
}
