// One delivery of one claimed job: sent to legacy with its Idempotency-Key through the legacy
// shield (at the worker's priority class), its outcome (delivery-outcome.ts) written back to the
// queue. Delivered / failed (permanent 4xx) are final; transient failures burn an attempt and come
// back after a jittered backoff, dead after `maxAttempts`; a shed or open breaker burns nothing
// and the job waits for the shield's Retry-After. Every job past its deadline is dead-lettered.
// Aborted by shutdown: released back to queued, redelivered later with the same key.
import type { FastifyBaseLogger } from 'fastify'
import { backoffDelayMs } from './backoff.js'
import { classifyError, classifyStatus } from './delivery-outcome.js'
import type { Job, JobQueue, JobResult } from './job-queue.port.js'
import { truncateBody } from './job-request.js'

export interface DeliveryRequest {
  method: string
  /** Path and query. */
  target: string
  headers: Record<string, string | string[]>
  body: Buffer
}

export interface DeliveryResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Buffer
}

/** Sends one request to legacy; rejects on transport errors. */
export type Deliver = (req: DeliveryRequest, signal: AbortSignal) => Promise<DeliveryResponse>

/** The part of protection's Shield the worker uses (Shield satisfies it). */
export interface DeliveryShield {
  run<T> (ctx: {
    routeId: string
    method: string
    priorityClass?: 'live' | 'retry' | 'shadow'
    signal?: AbortSignal
    isFailureResult?: (value: unknown) => boolean
  }, fn: (signal?: AbortSignal) => Promise<T>): Promise<T>
}

export interface DeliveryStats { delivered: number, failed: number, retried: number, waited: number, dead: number, maxInflight: number }

export interface JobDelivery {
  queue: JobQueue
  deliver: Deliver
  /** The shield now (it may be built after the worker); undefined = deliver directly. */
  shield: () => DeliveryShield | undefined
  priorityClass: 'retry' | 'shadow'
  maxResultBytes: number
  now: () => number
  random?: (() => number) | undefined
  logger?: Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'> | undefined
  stats: DeliveryStats
}

const RESULT_HEADERS = ['content-type', 'location', 'idempotent-replayed', 'retry-after']

function resultOf (res: DeliveryResponse, limit: number): JobResult {
  const headers: Record<string, string> = {}
  for (const name of RESULT_HEADERS) {
    const v = res.headers[name]
    if (v !== undefined) headers[name] = Array.isArray(v) ? v.join(', ') : v
  }
  const { text, truncated } = truncateBody(res.body, limit)
  return { status: res.status, headers, body: text, truncated }
}

export async function deliverJob (d: JobDelivery, job: Job, signal: AbortSignal): Promise<void> {
  const { queue } = d
  if (d.now() >= job.deadlineAt) {
    await queue.markDead(job.id, `not delivered before its deadline (last error: ${job.lastError ?? 'none'})`, d.now())
    d.stats.dead++
    return
  }
  const req: DeliveryRequest = {
    method: job.method,
    target: job.target,
    headers: { ...job.headers, 'idempotency-key': job.deliveryKey, 'x-gateway-job-id': job.id },
    body: job.body
  }
  const send = (s?: AbortSignal): Promise<DeliveryResponse> => d.deliver(req, s ?? signal)
  const shield = d.shield()
  let res: DeliveryResponse
  try {
    res = shield
      ? await shield.run({
        routeId: job.routeId,
        method: job.method,
        priorityClass: d.priorityClass,
        signal,
        isFailureResult: (v) => (v as DeliveryResponse).status >= 500
      }, send)
      : await send()
  } catch (err) {
    if (signal.aborted) {
      // Shutdown: legacy may or may not have stored it; the redelivery carries the same key.
      await queue.release(job.id, 'interrupted by shutdown', d.now(), d.now())
      return
    }
    await settle(d, job, classifyError(err))
    return
  }
  await settle(d, job, classifyStatus(res.status), resultOf(res, d.maxResultBytes))
}

async function settle (d: JobDelivery, job: Job, outcome: ReturnType<typeof classifyStatus>, result?: JobResult): Promise<void> {
  const { queue } = d
  const now = d.now()
  switch (outcome.kind) {
    case 'delivered':
      await queue.markDelivered(job.id, result!, now)
      d.stats.delivered++
      return
    case 'failed':
      await queue.markFailed(job.id, result!, now)
      d.stats.failed++
      d.logger?.warn({ job: job.id, route: job.routeId, status: result!.status }, 'async: legacy refused the job permanently')
      return
    case 'wait':
      await queue.release(job.id, `waiting: ${outcome.reason}`, now + outcome.retryAfterMs, now)
      d.stats.waited++
      return
    case 'transient': {
      const attempts = job.attempts + 1
      if (attempts >= job.maxAttempts) {
        await queue.markRetry(job.id, outcome.reason, now, now) // counts the attempt
        await queue.markDead(job.id, `${attempts} attempts failed, last: ${outcome.reason}`, now)
        d.stats.dead++
        d.logger?.warn({ job: job.id, route: job.routeId, attempts }, 'async: job dead-lettered')
        return
      }
      const delay = backoffDelayMs(job.backoff, attempts, d.random)
      await queue.markRetry(job.id, outcome.reason, now + delay, now)
      d.stats.retried++
    }
  }
}
