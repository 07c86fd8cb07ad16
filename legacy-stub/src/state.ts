// Everything one stub instance knows, passed to the hooks and routes that need it.
import type { CapacitySettings } from './config.js'
import type { CapacityModel } from './capacity.js'
import type { DownSwitch } from './down-switch.js'
import type { Faults } from './faults.js'
import type { StatsCounters, StatsSnapshot } from './stats.js'
import type { LegacyStore } from './store.js'

export interface StubState {
  readonly settings: CapacitySettings
  readonly capacity: CapacityModel
  readonly store: LegacyStore
  readonly downSwitch: DownSwitch
  faults: Faults
  counters: StatsCounters
  /** [0, 1); injectable so a test can make `errorRate` deterministic. */
  readonly random: () => number
  readonly now: () => Date
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `/__*` control routes: outside the capacity model and the counters. */
    control?: boolean
  }
}

export function snapshot (state: StubState): StatsSnapshot {
  return {
    ...state.counters,
    inflight: state.capacity.inflight,
    maxInflight: state.capacity.maxInflight,
    queued: state.capacity.queued,
    maxQueued: state.capacity.maxQueued,
    billings: state.store.billingCount,
    projectsCreated: state.store.projectsCreated,
    maxConcurrency: state.capacity.maxConcurrency,
    queueLimit: state.capacity.queueLimit,
    latencyMs: state.faults.latencyMs,
    errorRate: state.faults.errorRate,
    down: state.faults.down
  }
}
