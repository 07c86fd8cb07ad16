// The route runtime state in a running gateway: config routes + overrides from the StateStore,
// merged into an effective-state map the hot path reads synchronously (`get(id)`, O(1), no I/O).
// A change (`patch`) is persisted through the store and audited before the admin API answers
// (an audit failure rolls it back); changes are serialised so concurrent PATCHes never interleave.
import { AdminNotFoundError, AdminStaleRouteError } from '../errors.js'
import type { AuditEntry, AuditLog } from './audit-log.js'
import { LastHitTracker } from './last-hit.js'
import { applyPatch, emptyState, ifMatchAccepts, mergeRouteState, routeVersion } from './route-state.js'
import type { EffectiveRouteState, PersistedState, RouteConfigState, RouteOverrides, RoutePatch } from './route-state.js'
import type { StateStore } from './route-state-store.js'

/** What the service needs to know of a configured route. */
export interface RouteDefinition {
  id: string
  methods: string[]
  path: string
  /** The Lambda function the route invokes, if any (for the unused report and breaker names). */
  lambdaFunction?: string
  config: RouteConfigState
}

export interface RouteStateServiceOptions {
  store: StateStore
  audit: AuditLog
  routes: RouteDefinition[]
  now?: () => number
  lastHit?: LastHitTracker
}

export interface PatchResult {
  before: EffectiveRouteState
  after: EffectiveRouteState
  entry: AuditEntry
}

export interface PatchMeta {
  who: string
  reason: string | null
  /** The If-Match header of the request: the change applies only while the route has this version. */
  ifMatch?: string | undefined
}

export type RouteStateListener = (changedIds: string[]) => void

export class RouteStateService {
  readonly lastHit: LastHitTracker
  private readonly store: StateStore
  private readonly audit: AuditLog
  private readonly now: () => number
  private routes = new Map<string, RouteDefinition>()
  private overrides: Record<string, RouteOverrides> = {}
  private effective = new Map<string, EffectiveRouteState>()
  private started = 0
  private chain: Promise<unknown> = Promise.resolve()
  private readonly listeners = new Set<RouteStateListener>()

  constructor (options: RouteStateServiceOptions) {
    this.store = options.store
    this.audit = options.audit
    this.now = options.now ?? Date.now
    this.lastHit = options.lastHit ?? new LastHitTracker({ now: this.now })
    this.setRoutes(options.routes)
    // A shared store (Redis) reports other replicas' saves here; local saves echo harmlessly.
    this.store.onChange(state => { this.adopt(state.routes) })
  }

  /** Loads the persisted state (throws StateCorruptError on a corrupt file); first start persists firstStartedAt. */
  async init (): Promise<void> {
    const loaded = await this.store.load()
    if (loaded === undefined) {
      this.started = this.now()
      await this.store.save(emptyState(this.started))
      return
    }
    this.started = loaded.firstStartedAt
    this.lastHit.restore(loaded.lastHit)
    this.adopt(loaded.routes)
  }

  /** Epoch ms of the first start on this state; "never hit" in the unused report counts from here. */
  get firstStartedAt (): number { return this.started }

  /** Replaces the configured routes (config reload). Overrides of vanished routes are kept, not shown. */
  setRoutes (routes: RouteDefinition[]): void {
    this.routes = new Map(routes.map(r => [r.id, r]))
    this.rebuild()
  }

  /** Hot path: the state in effect for a route, or undefined for an unknown id. */
  get (id: string): EffectiveRouteState | undefined { return this.effective.get(id) }

  /** The route's version (strong ETag, route-state.ts routeVersion), or undefined for an unknown id. */
  version (id: string): string | undefined {
    const def = this.routes.get(id)
    const eff = this.effective.get(id)
    return def === undefined || eff === undefined ? undefined : routeVersion(def.config, eff)
  }

  definition (id: string): RouteDefinition | undefined { return this.routes.get(id) }
  definitions (): RouteDefinition[] { return [...this.routes.values()] }

  onChange (listener: RouteStateListener): () => void {
    this.listeners.add(listener)
    return () => { this.listeners.delete(listener) }
  }

  /**
   * Applies, persists and audits a change; throws AdminNotFoundError for an unknown route and,
   * with `meta.ifMatch`, AdminStaleRouteError when the route's version is no longer that one
   * (checked inside the serialised chain, so two PATCHes with the same version cannot both win).
   */
  patch (id: string, patch: RoutePatch, meta: PatchMeta): Promise<PatchResult> {
    const run = this.chain.then(() => this.patchNow(id, patch, meta))
    this.chain = run.catch(() => {})
    return run
  }

  /** Saves the whole state now (used by the last-hit flush timer). */
  persist (): Promise<void> {
    const run = this.chain.then(() => this.store.save(this.snapshot(this.overrides)))
    this.chain = run.catch(() => {})
    return run
  }

  private async patchNow (id: string, patch: RoutePatch, meta: PatchMeta): Promise<PatchResult> {
    const def = this.routes.get(id)
    if (def === undefined) throw new AdminNotFoundError(`unknown route "${id}"`)
    if (meta.ifMatch !== undefined) {
      const current = this.version(id)!
      if (!ifMatchAccepts(meta.ifMatch, current)) throw new AdminStaleRouteError(id, meta.ifMatch, current)
    }
    const before = mergeRouteState(def.config, this.overrides[id])
    const nextOverrides = { ...this.overrides }
    const next = applyPatch(this.overrides[id], patch)
    if (next === undefined) delete nextOverrides[id]
    else nextOverrides[id] = next
    const after = mergeRouteState(def.config, next)
    const previous = this.overrides
    await this.store.save(this.snapshot(nextOverrides))
    let entry: AuditEntry
    try {
      entry = await this.audit.append({ who: meta.who, action: 'route.patch', routeId: id, before: strip(before), after: strip(after), reason: meta.reason })
    } catch (err) {
      // Unaudited changes are not allowed: put the previous state back, then fail the request.
      await this.store.save(this.snapshot(previous)).catch(() => {})
      this.adopt(previous)
      throw err
    }
    this.adopt(nextOverrides)
    return { before, after, entry }
  }

  private snapshot (overrides: Record<string, RouteOverrides>): PersistedState {
    return { version: 1, firstStartedAt: this.started, routes: overrides, lastHit: this.lastHit.snapshot() }
  }

  private adopt (overrides: Record<string, RouteOverrides>): void {
    const changed = Object.keys({ ...this.overrides, ...overrides })
      .filter(id => JSON.stringify(this.overrides[id]) !== JSON.stringify(overrides[id]))
    this.overrides = structuredClone(overrides)
    this.rebuild()
    if (changed.length > 0) for (const l of this.listeners) l(changed)
  }

  private rebuild (): void {
    const next = new Map<string, EffectiveRouteState>()
    for (const [id, def] of this.routes) next.set(id, mergeRouteState(def.config, this.overrides[id]))
    this.effective = next // swapped whole: a reader never sees a half-built table
  }
}

/** The audited value: the effective settings without the `sources` bookkeeping. */
function strip (s: EffectiveRouteState): RouteConfigState {
  return { target: s.target, rolloutPercent: s.rolloutPercent, shadow: { ...s.shadow } }
}
