// The one port every target sits behind (undici's Dispatcher has one `dispatch`; ours has one
// `forward`). The catch-all handler looks a request's target up by name and calls `forward`;
// the protection planner asks the same target which shield the request goes through. A new
// target kind is one file implementing this plus its route schema fragment, registered in
// targets/builtin-targets.ts (or through BuildDeps.targets).
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { RouteConfig } from '../config/schema.js'
import type { Protection } from '../protection/protection.js'
import type { Shield } from '../protection/shield.js'

/**
 * The request's protection permit, handed to the target by the forward stage (targets never
 * import the protection plugin). Both are no-ops for an unprotected request.
 */
export interface Permits {
  /**
   * At dispatch: keeps the request's permit taken until the returned `end` is called when the
   * upstream call ended, even if the client left first; `end(err)` hands the upstream's own
   * failure to the breaker.
   */
  hold (request: FastifyRequest): (upstreamError?: unknown) => void
  /**
   * After the upstream failed: whether the route moves the request to another target (a
   * `fallback`), through that target's shield. True = `request.routing.target` names the new
   * target and the request holds its permit; the caller forwards it there.
   */
  fallback (request: FastifyRequest, reply: FastifyReply, err: unknown): Promise<boolean>
}

/** What the shield needs to know about a request to this target. */
export interface TargetShield {
  shield: Shield
  /** The Lambda function (its throttle error and the fallback log line name it). */
  functionName?: string
}

export interface Target {
  /** The name routes and route state use (`route.target`, the ops flip). */
  readonly name: string
  /** Streams or sends the target's answer (or a problem+json) on `reply`. */
  forward (request: FastifyRequest, reply: FastifyReply, permits: Permits): FastifyReply | Promise<FastifyReply>
  /** The shield this route's requests to this target go through. */
  shieldOf (protection: Protection, route: RouteConfig | undefined): TargetShield
}
