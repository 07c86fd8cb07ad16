// Route runtime state, the pure part: what ops changed at runtime (overrides) on top of what the
// config says, merged into the state in effect, with the source of every value so
// `GET /admin/routes` can show where each one comes from. No I/O here.
import { createHash } from 'node:crypto'

export type Target = 'legacy' | 'lambda'
export type ValueSource = 'config' | 'runtime'

/** The runtime-changeable part of a route as the config defines it. */
export interface RouteConfigState {
  target: Target
  /** 0..100, share of requests to the Lambda while target is lambda. */
  rolloutPercent: number
  shadow: { enabled: boolean }
}

/** What ops changed at runtime; an absent field means "as configured". */
export interface RouteOverrides {
  target?: Target
  rolloutPercent?: number
  shadow?: { enabled?: boolean }
}

/** A change requested through the admin API: a value sets an override, null clears it. */
export interface RoutePatch {
  target?: Target | null
  rolloutPercent?: number | null
  shadow?: { enabled?: boolean | null }
}

export interface EffectiveRouteState extends RouteConfigState {
  sources: { target: ValueSource, rolloutPercent: ValueSource, 'shadow.enabled': ValueSource }
}

export function mergeRouteState (config: RouteConfigState, overrides: RouteOverrides | undefined): EffectiveRouteState {
  const o = overrides ?? {}
  return {
    target: o.target ?? config.target,
    rolloutPercent: o.rolloutPercent ?? config.rolloutPercent,
    shadow: { enabled: o.shadow?.enabled ?? config.shadow.enabled },
    sources: {
      target: o.target === undefined ? 'config' : 'runtime',
      rolloutPercent: o.rolloutPercent === undefined ? 'config' : 'runtime',
      'shadow.enabled': o.shadow?.enabled === undefined ? 'config' : 'runtime'
    }
  }
}

/** Applies a patch to a route's overrides; returns the new overrides (undefined = none left). */
export function applyPatch (current: RouteOverrides | undefined, patch: RoutePatch): RouteOverrides | undefined {
  const next: RouteOverrides = { ...current, shadow: current?.shadow === undefined ? undefined : { ...current.shadow } }
  if (patch.target === null) delete next.target
  else if (patch.target !== undefined) next.target = patch.target
  if (patch.rolloutPercent === null) delete next.rolloutPercent
  else if (patch.rolloutPercent !== undefined) next.rolloutPercent = patch.rolloutPercent
  if (patch.shadow !== undefined) {
    const shadow = { ...next.shadow }
    if (patch.shadow.enabled === null) delete shadow.enabled
    else if (patch.shadow.enabled !== undefined) shadow.enabled = patch.shadow.enabled
    next.shadow = shadow
  }
  return compactOverrides(next)
}

/** Drops empty objects and undefined fields so the state file only holds real overrides. */
export function compactOverrides (o: RouteOverrides): RouteOverrides | undefined {
  const out: RouteOverrides = {}
  if (o.target !== undefined) out.target = o.target
  if (o.rolloutPercent !== undefined) out.rolloutPercent = o.rolloutPercent
  if (o.shadow?.enabled !== undefined) out.shadow = { enabled: o.shadow.enabled }
  return Object.keys(out).length === 0 ? undefined : out
}

/** The state as persisted (file, Redis): overrides per route id plus the last-hit bookkeeping. */
export interface PersistedState {
  version: 1
  /** Epoch ms of the gateway's very first start on this state: "never hit" counts from here. */
  firstStartedAt: number
  routes: Record<string, RouteOverrides>
  lastHit: { routes: Record<string, number>, functions: Record<string, number> }
}

export function emptyState (now: number): PersistedState {
  return { version: 1, firstStartedAt: now, routes: {}, lastHit: { routes: {}, functions: {} } }
}

/**
 * The route's version as a strong ETag (`"<16 hex>"`): a digest of its configured and effective
 * settings, so any change (a PATCH on any replica, the guard, a config reload) gives a new one,
 * and every replica computes the same value from the same state without a shared counter.
 */
export function routeVersion (config: RouteConfigState, effective: EffectiveRouteState): string {
  const body = JSON.stringify([config.target, config.rolloutPercent, config.shadow.enabled,
    effective.target, effective.rolloutPercent, effective.shadow.enabled, effective.sources])
  return `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`
}

/** RFC 9110 If-Match: `*` or a list of strong entity tags; a weak tag (W/) never matches. */
export function ifMatchAccepts (header: string, current: string): boolean {
  return header.split(',').some(tag => {
    const t = tag.trim()
    return t === '*' || t === current
  })
}
