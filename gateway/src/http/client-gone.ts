// "The client hung up", in one place: the test a target makes before it sends a call
// (isClientGone), the error a lease is finished with (clientGoneError: an AbortError, which is
// no breaker failure), and the per-request stand-in for an AbortSignal the limiter's queue
// listens to (ClientGone), fed by the one 'close' listener the protection planner adds.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Socket } from 'node:net'
import { isConnectionClosing } from './problem.js'

/** What a lease or a queue wait is ended with when the client left. */
export function clientGoneError (): Error {
  return Object.assign(new Error('client closed the connection'), { name: 'AbortError' })
}

/** The client hung up. The socket knows first: the request's 'close' may still be queued behind this tick. */
export function isClientGone (request: FastifyRequest, reply: FastifyReply): boolean {
  const socket = request.raw.socket as (Socket & { _httpMessage?: { _last?: boolean } | null }) | null
  if (reply.raw.destroyed || !socket || socket.destroyed || socket.writableEnded) return true
  // A connection answered with `connection: close` ends after that answer: a request pipelined
  // behind it would be served by nobody. The gateway's own answers mark the socket (problem.ts);
  // node:http's (400 for a missing Host, …) show as an earlier response that is the last one.
  if (isConnectionClosing(socket)) return true
  const earlier = socket._httpMessage
  return earlier !== undefined && earlier !== null && earlier !== reply.raw && earlier._last === true
}

/** The response was cut before it ended (the connection closed under it). */
export function isReplyCut (reply: FastifyReply): boolean {
  return reply.raw.destroyed && !reply.raw.writableFinished
}

/**
 * A request's "client gone" for the limiter's queue: the AbortSignal shape (protection's
 * AbortLike) without an AbortController (an EventTarget per request). Most requests get a
 * permit at once and never add a listener.
 */
export class ClientGone {
  aborted = false
  reason: unknown = undefined
  private listeners: Array<() => void> | undefined = undefined

  addEventListener (_type: 'abort', listener: () => void): void {
    if (this.aborted) return // as AbortSignal: an aborted signal fires no more
    (this.listeners ??= []).push(listener)
  }

  removeEventListener (_type: 'abort', listener: () => void): void {
    const i = this.listeners?.indexOf(listener) ?? -1
    if (i !== -1) this.listeners?.splice(i, 1)
  }

  /** Fires every listener once (they are all `once`: abort happens once). */
  abort (reason: unknown): void {
    if (this.aborted) return
    this.aborted = true
    this.reason = reason
    const listeners = this.listeners
    this.listeners = undefined
    if (listeners) for (const listener of listeners) listener()
  }
}
