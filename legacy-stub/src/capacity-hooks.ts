// Puts every legacy API request (not the `/__*` control routes) through the capacity model:
// wait for a worker, hold it for the service time (a timer, not CPU), then let the route answer.
// Counts what was received, served and failed, and tells the client where the time went
// (`Server-Timing: queue;dur=…, app;dur=…`, in ms). Times the answer's write after the service
// ended (GET /__stats/usage `responseWrite`): the stub's own part of a worker's idle time.
import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyInstance } from 'fastify'
import { QueueDroppedError, serviceTimeMs } from './capacity.js'
import type { Release } from './capacity.js'
import { DownError, FaultInjectedError, OverloadedError, QueueFullError } from './errors.js'
import type { StubState } from './state.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** When this request's service time ended (the usage clock), -1 before. */
    serviceEndedMs: number
  }
}

export function registerCapacityHooks (app: FastifyInstance, state: StubState): void {
  app.decorateRequest('serviceEndedMs', -1)
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.config.control === true) return
    state.counters.received++
    const arrived = performance.now()
    const admission = state.capacity.admit()
    if (admission.kind === 'refused') {
      state.counters.refused++
      throw admission.status === 500 ? new OverloadedError() : new QueueFullError(admission.waiting)
    }
    let release: Release
    try {
      release = await admission.worker
    } catch (err) {
      // Only dropQueue() rejects: the box went down with this request waiting.
      if (err instanceof QueueDroppedError) throw new DownError({ cause: err })
      /* c8 ignore next 2 -- admit() never rejects otherwise */
      throw err
    }
    const waitedMs = performance.now() - arrived
    const serviceMs = serviceTimeMs(state.faults.latencyMs, state.capacity.queued, state.capacity.queueLimit)
    try {
      await sleep(serviceMs)
    } finally {
      release()
      request.serviceEndedMs = state.capacity.usage.now()
    }
    reply.header('server-timing', `queue;dur=${waitedMs.toFixed(1)}, app;dur=${serviceMs.toFixed(1)}`)
    const { errorRate } = state.faults
    if (errorRate > 0 && state.random() < errorRate) {
      state.counters.faulted++
      throw new FaultInjectedError(errorRate)
    }
  })

  app.addHook('onSend', async (request, reply, payload) => {
    if (request.routeOptions.config.control !== true) {
      state.counters.served++
      if (reply.statusCode >= 500) state.counters.errors++
    }
    return payload
  })

  app.addHook('onResponse', (request, reply, done) => {
    if (request.serviceEndedMs >= 0) state.capacity.usage.responded(request.serviceEndedMs)
    done()
  })
}
