// Request ids: an incoming `x-request-id` is kept only when it is well-formed, so a client
// cannot inject log-breaking or oversized values; anything else gets a fresh UUID.
import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

export const REQUEST_ID_HEADER = 'x-request-id'
const WELL_FORMED = /^[A-Za-z0-9._:-]{1,128}$/

export function isWellFormedRequestId (value: unknown): value is string {
  return typeof value === 'string' && WELL_FORMED.test(value)
}

/** Fastify `genReqId`: keep a well-formed incoming id, else generate one. */
export function requestIdFor (req: IncomingMessage): string {
  const incoming = req.headers[REQUEST_ID_HEADER]
  return isWellFormedRequestId(incoming) ? incoming : randomUUID()
}
