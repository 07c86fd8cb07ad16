// Wiring of the embedded default: the route state on a state directory (gateway-state.json +
// audit.jsonl), loaded at start (a corrupt file throws GW_ERR_STATE_CORRUPT: refuse to start),
// with last-hit times flushed every `flushMs` and once more on close.
import { join } from 'node:path'
import { createFileAuditLog } from './audit-log.js'
import { DEFAULT_ROLLOUT_PERCENT } from './ops.schema.js'
import type { AuditLog } from './audit-log.js'
import { RouteStateService } from './route-state-service.js'
import type { RouteDefinition } from './route-state-service.js'
import { createFileStateStore } from './state-file.js'
import type { FileStateStore } from './state-file.js'

export const AUDIT_FILE_NAME = 'audit.jsonl'

/** The fields of a config route this module reads (structural: config/schema.ts routes fit). */
export interface ConfigRouteLike {
  id: string
  methods: readonly string[]
  path: string
  target: 'legacy' | 'lambda'
  lambda?: { function: string } | undefined
  rollout?: { percent?: number | undefined } | undefined
  shadow?: { enabled?: boolean | undefined } | undefined
}

export function routeDefinitionsFrom (routes: readonly ConfigRouteLike[]): RouteDefinition[] {
  return routes.map(r => ({
    id: r.id,
    methods: [...r.methods],
    path: r.path,
    ...(r.lambda === undefined ? {} : { lambdaFunction: r.lambda.function }),
    config: { target: r.target, rolloutPercent: r.rollout?.percent ?? DEFAULT_ROLLOUT_PERCENT, shadow: { enabled: r.shadow?.enabled ?? false } }
  }))
}

export interface FileRouteStateOptions {
  /** GATEWAY_STATE_DIR or the config's state.dir. */
  dir: string
  routes: RouteDefinition[]
  now?: () => number
  /** Last-hit flush period; default 60 s. */
  flushMs?: number
  /** A failed periodic flush (retried on the next tick); log it. */
  onFlushError?: (err: unknown) => void
}

export interface FileRouteState {
  routeState: RouteStateService
  audit: AuditLog
  store: FileStateStore
  /** Stops the flush timer and writes pending last-hit times. */
  close: () => Promise<void>
}

export async function openFileRouteState (options: FileRouteStateOptions): Promise<FileRouteState> {
  const now = options.now ?? Date.now
  const store = createFileStateStore({ dir: options.dir, now })
  const audit = createFileAuditLog(join(options.dir, AUDIT_FILE_NAME), { now })
  const routeState = new RouteStateService({ store, audit, routes: options.routes, now })
  await routeState.init()
  const persist = (): Promise<void> => routeState.persist()
  routeState.lastHit.startFlushing(async () => {
    await persist().catch(err => { options.onFlushError?.(err); throw err })
  }, options.flushMs ?? 60_000)
  return {
    routeState,
    audit,
    store,
    async close () {
      routeState.lastHit.stopFlushing()
      await routeState.lastHit.flush(persist, options.onFlushError)
    }
  }
}
