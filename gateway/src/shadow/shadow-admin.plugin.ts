// `GET /admin/routes/:id/diffs` (bearer token, like every /admin call): the route's shadow totals
// since start, the noise paths learned, and the last mismatches (newest first; bodies truncated,
// secrets redacted) with their structural diffs. Counts and noise are per replica; mismatches are
// every replica's when the store is shared (distributed mode), else this replica's.
// A value absent on one side is reported as `absent: "legacy" | "lambda"` (JSON has no undefined).
import type { FastifyInstance, FastifyPluginAsync } from 'fastify'
import { AdminNotFoundError } from '../errors.js'
import { sendProblem } from '../http/problem.js'
import { adminAuthHook } from '../ops/admin-auth-hook.js'
import type { AdminToken } from '../ops/admin-auth.js'
import type { MismatchRecord, MismatchStore } from './mismatch-store.js'
import type { NoiseLearner } from './noise.js'
import type { ShadowStats } from './shadow-run.js'
import type { DiffEntry } from './compare/diff.js'

/** A store shared by replicas (distributed/redis-mismatch-store.ts) also lists every replica's samples. */
type ListableStore = Pick<MismatchStore, 'list'> & { listShared?: (route: string) => Promise<MismatchRecord[]> }

export interface AdminDiffsOptions {
  shadow: { store: ListableStore, noise: Pick<NoiseLearner, 'ignored'>, stats: Pick<ShadowStats, 'get'> }
  tokens: AdminToken[]
  /** Whether a route id is configured. */
  knows: (routeId: string) => boolean
  /** The shadow switch in effect for a route. */
  enabled: (routeId: string) => boolean
}

export interface DiffView { path: string, legacy?: unknown, lambda?: unknown, absent?: 'legacy' | 'lambda' }

export function diffView (d: DiffEntry): DiffView {
  if (d.legacy === undefined) return { path: d.path, lambda: d.lambda, absent: 'legacy' }
  if (d.lambda === undefined) return { path: d.path, legacy: d.legacy, absent: 'lambda' }
  return { path: d.path, legacy: d.legacy, lambda: d.lambda }
}

export function adminDiffsRoutes (o: AdminDiffsOptions): FastifyPluginAsync {
  return async (app: FastifyInstance) => {
    app.addHook('onRequest', adminAuthHook(o.tokens))
    app.get<{ Params: { id: string } }>('/admin/routes/:id/diffs', async (request, reply) => {
      const id = request.params.id
      if (!o.knows(id)) return sendProblem(request, reply, new AdminNotFoundError(`unknown route "${id}"`))
      const store = o.shadow.store
      const records = store.listShared === undefined ? store.list(id) : await store.listShared(id)
      return {
        routeId: id,
        shadow: { enabled: o.enabled(id) },
        counts: o.shadow.stats.get(id),
        noise: o.shadow.noise.ignored(id),
        mismatches: records.map(m => ({ ...m, diffs: m.diffs.map(diffView) }))
      }
    })
  }
}
