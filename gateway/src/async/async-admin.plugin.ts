// The job endpoints of the admin API (contract surface of `gatewayctl jobs`), bearer-protected
// with the same tokens as the rest of /admin (ops/admin-auth.ts), for build()'s `adminPlugins`:
//   GET  /admin/jobs?state=&limit=   newest first, plus the count per state
//   GET  /admin/jobs/:id             one job with its stored (secret-free) headers
//   POST /admin/jobs/:id/retry       a dead or failed job back to queued, fresh attempts
//   POST /admin/jobs/purge-dead      delete every dead job
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyPluginAsync } from 'fastify'
import { AdminNotFoundError, AdminValidationError } from '../errors.js'
import { adminAuthHook } from '../ops/admin-auth-hook.js'
import type { AdminToken } from '../ops/admin-auth.js'
import type { JobQueue, JobState } from './job-queue.port.js'
import { JOB_STATES } from './job-queue.port.js'
import { adminJobView, jobView } from './job-view.js'

export interface AsyncAdminOptions {
  queue: JobQueue
  tokens: AdminToken[]
  /** Called after a replay so the worker looks at once. */
  onRequeued?: () => void
  now?: () => number
}

async function asyncAdminImpl (app: FastifyInstance, opts: AsyncAdminOptions): Promise<void> {
  const now = opts.now ?? Date.now
  const { queue } = opts
  await app.register(async (admin) => {
    admin.addHook('onRequest', adminAuthHook(opts.tokens))

    admin.get<{ Querystring: { state?: string, limit?: string } }>('/jobs', async (request) => {
      const { state, limit } = request.query
      if (state !== undefined && !(JOB_STATES as readonly string[]).includes(state)) {
        throw new AdminValidationError(`state: expected one of ${JOB_STATES.join('|')}, found "${state}"`)
      }
      const n = limit === undefined ? 50 : Number(limit)
      if (!Number.isInteger(n) || n < 1 || n > 1000) throw new AdminValidationError(`limit: expected an integer from 1 to 1000, found "${limit}"`)
      const [counts, jobs] = await Promise.all([queue.counts(), queue.list({ ...(state ? { state: state as JobState } : {}), limit: n })])
      return { counts, jobs: jobs.map(jobView) }
    })

    admin.get<{ Params: { id: string } }>('/jobs/:id', async (request) => {
      const job = await queue.get(request.params.id)
      if (job === undefined) throw new AdminNotFoundError(`unknown job "${request.params.id}"`)
      return { job: adminJobView(job) }
    })

    admin.post<{ Params: { id: string } }>('/jobs/:id/retry', async (request) => {
      const before = await queue.get(request.params.id)
      if (before === undefined) throw new AdminNotFoundError(`unknown job "${request.params.id}"`)
      if (before.state !== 'dead' && before.state !== 'failed') {
        throw new AdminValidationError(`job ${before.id} is ${before.state}: only dead or failed jobs can be retried`)
      }
      const job = await queue.retry(before.id, now())
      // Another operator (or replica) replayed or purged it between the read and the replay.
      if (job === undefined) throw new AdminNotFoundError(`unknown job "${request.params.id}"`)
      request.log.info({ job: job.id, from: before.state }, 'async: job requeued by an operator')
      opts.onRequeued?.()
      return { job: jobView(job) }
    })

    admin.post('/jobs/purge-dead', async (request) => {
      const purged = await queue.purgeDead()
      request.log.info({ purged }, 'async: dead jobs purged by an operator')
      return { purged }
    })
  }, { prefix: '/admin' })
}

export function asyncAdminRoutes (options: AsyncAdminOptions): FastifyPluginAsync {
  return fp(async (app: FastifyInstance) => asyncAdminImpl(app, options), { name: 'gateway-async-admin', fastify: '5.x' })
}
