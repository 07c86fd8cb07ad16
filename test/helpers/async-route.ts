// The async billing route of the async tests (no tap import: the child-process fixture uses it too).
import type { RouteConfig } from '../../gateway/src/config/schema.js'
import type { RouteAsyncConfig } from '../../gateway/src/async/async.schema.js'

export function billingRoute (async: Partial<RouteAsyncConfig> = {}): RouteConfig {
  return {
    id: 'billings.create',
    methods: ['POST'],
    path: '/api/billings',
    target: 'legacy',
    async: { enabled: true, maxAttempts: 5, backoff: { baseMs: 20, maxMs: 200 }, deadLetterAfter: 600_000, ...async }
  } as unknown as RouteConfig
}
