// What the guard is given: a route's guard settings, the slice of ops' route state it reads and
// changes, and a logger. Kept apart so the controller, its per-route state and its two moves
// (roll back, step) share them without importing one another.
import type { GuardThresholds } from './evaluate-guard.js'

export interface GuardRouteConfig extends GuardThresholds {
  enabled: boolean
  window: number
  rollbackTo: 'legacy' | 'last-good'
  steps?: number[] | undefined
  stepIntervalMs?: number | undefined
}

/** The slice of ops' RouteStateService the guard needs. */
export interface RouteStatePort {
  get: (id: string) => { target: 'legacy' | 'lambda', rolloutPercent: number } | undefined
  patch: (id: string, patch: { target?: 'legacy' | 'lambda', rolloutPercent?: number }, meta: { who: string, reason: string | null }) => Promise<unknown>
  /** Changes by anyone (operator, this guard, another replica); the window and plan react to them. */
  onChange?: (listener: (changedIds: string[]) => void) => () => void
}

export interface GuardLogger { warn: (obj: object, msg: string) => void, info: (obj: object, msg: string) => void }
