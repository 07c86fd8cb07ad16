// onRequest: decide where a request goes before its body is read. The path is normalised
// by the pure router (a path the gateway and the backend could read differently is refused
// with 400 and never forwarded), matched against the route table (no match → legacy, route
// `default`), and the target chosen from the route's runtime state (flip, sticky rollout, a
// tester override with the right secret). The live route table is read ONCE here and the matched
// route is kept on the request, so a config reload never changes a request already routed.
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import { normalizePath } from '../routing/normalize-path.js'
import { matchRoute } from '../routing/route-table.js'
import { selectTarget, targetWithoutLambda } from '../routing/select-target.js'
import type { RouteRuntimeState } from '../routing/select-target.js'
import { testerOverrideTarget } from '../routing/tester-override.js'
import { LEGACY_TARGET } from '../targets/legacy-proxy.js'
import { DEFAULT_ROUTE_ID, rejectBadPath, unroutedDecision } from './bad-path.js'
import type { RoutingDecision } from './context.js'

export { DEFAULT_ROUTE_ID }

/** A route without runtime state follows its config. */
const NO_STATE: RouteRuntimeState = Object.freeze({})

// Callback style (synchronous work): an async hook costs a promise and a microtask per request.
export function routingHook (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
  const ctx = request.server.gateway
  request.outcome = { startedAt: performance.now() }
  reply.header('x-request-id', request.id)
  if (ctx.lifecycle.draining) reply.header('connection', 'close')

  const url = request.raw.url ?? '/'
  const q = url.indexOf('?')
  const rawPath = q < 0 ? url : url.slice(0, q)
  const query = q < 0 ? '' : url.slice(q + 1)
  const normalised = normalizePath(rawPath)
  if (!normalised.ok) {
    request.routing = unroutedDecision(rawPath, query)
    rejectBadPath(request, reply, normalised.reason)
    return // answered: the chain stops here (done is not called)
  }

  const match = matchRoute(ctx.routeTable, request.method, normalised.path)
  let routing: RoutingDecision
  if (match) {
    const route = match.route
    const state = ctx.routeState.get(route.id) ?? NO_STATE
    let target: RoutingDecision['target']
    // No lambda block: no override or split can apply, so no request facts are gathered.
    if (route.lambda === undefined) target = targetWithoutLambda(route, state)
    else {
      const tester = ctx.testerOverride
      // The override header is an internal header (app.ts): stripped from what is forwarded.
      const override = tester.enabled ? testerOverrideTarget(tester, request.headers[tester.header]) : undefined
      target = selectTarget(route, state,
        { method: request.method, path: normalised.path, headers: request.headers, ip: request.ip },
        { override, random: ctx.random })
    }
    routing = { routeId: match.route.id, route: match.route, params: match.params, path: normalised.path, query, target }
    ctx.lastHit?.hitRoute(match.route.id)
  } else {
    routing = { routeId: DEFAULT_ROUTE_ID, route: undefined, params: {}, path: normalised.path, query, target: LEGACY_TARGET }
  }
  request.routing = routing

  if (ctx.config.server.exposeRoutingHeaders) {
    reply.header('x-gateway-route', routing.routeId)
    reply.header('x-gateway-target', routing.target)
  }
  done()
}
