// The one answer to a path the gateway refuses to forward (bad percent-encoding, a traversal,
// an ambiguous segment): 400 problem+json GW_ERR_BAD_PATH, counted as rejection `bad_request`.
// The routing hook, Fastify's own router errors (app-instance.ts frameworkErrors) and the legacy
// proxy's defence in depth all answer through here.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { BadPathError } from '../errors.js'
import { sendProblem } from '../http/problem.js'
import type { RoutingDecision } from './context.js'

export const DEFAULT_ROUTE_ID = 'default'

/** The decision of a request refused before a target was chosen. */
export function unroutedDecision (path: string, query: string): RoutingDecision {
  return { routeId: DEFAULT_ROUTE_ID, route: undefined, params: {}, path, query, target: 'none' }
}

export function rejectBadPath (request: FastifyRequest, reply: FastifyReply, reason: string): FastifyReply {
  request.outcome.rejection = 'bad_request'
  return sendProblem(request, reply, new BadPathError(reason))
}
