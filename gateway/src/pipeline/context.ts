// The per-app context every hook and target reads: config, compiled routes, route state,
// metrics, lifecycle. It is `decorate`d on both Fastify instances as `gateway`, which is the
// seam later features (protection, ops admin routes) plug into.
import type { FastifyBaseLogger } from 'fastify'
import type { GatewayConfig } from '../config/schema.js'
import type { RouteTable } from '../routing/route-table.js'
import type { GatewayMetrics, RejectionReason } from '../ops/metrics.js'
import type { LambdaInvoker } from '../targets/lambda-invoker.js'
import type { TrustCheck } from '../http/trusted-proxies.js'
import type { Lifecycle, Readiness } from '../ops/health.js'
import type { TesterOverrideSettings } from '../routing/tester-override.js'
import type { TrafficTimeSeries } from '../cockpit/time-series.js'
import type { TargetRegistry } from '../targets/target-registry.js'

import type { RouteConfig, TargetName } from '../config/schema.js'

export type { RouteConfig, TargetName }

import type { RouteRuntimeState } from '../routing/select-target.js'

export type { RouteRuntimeState }

/** Where route state comes from: config by default, the ops route state service when wired. */
export interface RouteStateSource {
  get (routeId: string): RouteRuntimeState | undefined
}

/** Last-hit bookkeeping for the unused report (ops LastHitTracker): a Map.set per call. */
export interface LastHitSink {
  hitRoute (routeId: string): void
  hitFunction (functionName: string): void
}

export interface Clock {
  /** Wall-clock ms since the epoch (event `timeEpoch`, log time). */
  now (): number
}

/**
 * The live parts a config reload swaps (`config`, `routeTable`, `testerOverride`,
 * `internalHeaders`): each is replaced whole, never mutated, and a request captures its route
 * at routing time (request.routing.route), so in-flight requests finish on the table they
 * were routed with while new ones see the new one.
 */
export interface GatewayContext {
  config: GatewayConfig
  routeTable: RouteTable
  routeState: RouteStateSource
  /** Tester override settings (off unless configured with GATEWAY_OVERRIDE_SECRET). */
  testerOverride: TesterOverrideSettings
  /** Per-route / per-function last-hit times; absent without the ops state. */
  lastHit: LastHitSink | undefined
  /** Random source of key-less rollout splits (tests pin it). */
  random: () => number
  metrics: GatewayMetrics
  /** The cockpit's per-route, per-side ring of the last hour (fed by the request log hook). */
  timeSeries?: TrafficTimeSeries
  invoker: LambdaInvoker
  /** Every target by name (targets/target-registry.ts): the forward stage and the protection planner look up `routing.target`. */
  targets: TargetRegistry
  logger: FastifyBaseLogger
  clock: Clock
  lifecycle: Lifecycle
  readiness: Readiness
  trustCheck: TrustCheck
  internalHeaders: ReadonlySet<string>
}

/** What the routing hook decided for a request (set in onRequest, read by every later hook). */
export interface RoutingDecision {
  /** Route id, or `default` when no route matched (the strangler's default route). */
  routeId: string
  route: RouteConfig | undefined
  params: Record<string, string>
  /** The normalised path (what is matched and forwarded). */
  path: string
  /** The raw query string without `?` ('' when absent), forwarded verbatim. */
  query: string
  /** `none` when the request was rejected before a target was chosen (bad path). */
  target: TargetName | 'none'
}

/** Facts gathered while serving a request, for the one log line and the metrics. */
export interface RequestOutcome {
  startedAt: number
  upstreamMs?: number
  rejection?: RejectionReason
  errorCode?: string
  lambda?: { function: string, coldStart?: boolean, billedMs?: number, initMs?: number }
  /** Set when a Lambda request fell back to legacy (the reason; routing.target is then 'legacy'). */
  fallback?: string
}

declare module 'fastify' {
  interface FastifyInstance {
    gateway: GatewayContext
  }
  interface FastifyRequest {
    routing: RoutingDecision
    outcome: RequestOutcome
  }
}
