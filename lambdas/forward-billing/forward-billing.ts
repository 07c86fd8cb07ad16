// Forwarding one billing to legacy, as a decision table over what the gateway answered. Pure:
// the HTTP call is a port (BillingGateway) the handler fills with gateway-client.ts; one attempt
// only — retrying is the caller's decision, made safe by the idempotency key.
// The gateway's billings route is async (docs/async.md): it answers 202 with the job it stored
// (`{ jobId, state, location }` + Location) and delivers to legacy later with our key; that is a
// success for us — the billing is durably accepted — reported as `accepted` with the job.
import type { FieldError } from '../shared/errors.js'
import { fromLegacyBilling, fromLegacyErrors, toLegacyBilling } from './map-billing.js'
import type { BillingDto, NewBilling } from './map-billing.js'
import { idempotencyKeyFor } from './idempotency-key.js'

export interface UpstreamAnswer {
  status: number
  headers: Record<string, string>
  body: string
}

export type UpstreamFailure = 'timeout' | 'unreachable'

export interface BillingGateway {
  /** Resolves with any HTTP answer; rejects only with an UpstreamCallError. */
  /** `trace`: headers continuing the invocation's trace (shared/trace-context.ts traceHeaders). */
  postBilling: (body: string, idempotencyKey: string, timeoutMs: number, trace?: Record<string, string>) => Promise<UpstreamAnswer>
}

export class UpstreamCallError extends Error {
  constructor (readonly failure: UpstreamFailure, message: string, opts?: { cause?: unknown }) {
    super(message, opts)
    this.name = 'UpstreamCallError'
  }
}

/** The gateway's async job for the billing (its 202 body): read it at `location` on the gateway. */
export interface AcceptedJob {
  jobId: string
  state: string
  /** Gateway path, e.g. /_gateway/jobs/<id>. */
  location: string
}

export type ForwardResult =
  | { kind: 'created', billing: BillingDto, replayed: boolean }
  | { kind: 'accepted', job: AcceptedJob, replayed: boolean }
  | { kind: 'rejected', status: number, detail: string, errors?: FieldError[], retryAfter?: string }
  | { kind: 'failed', upstreamStatus: number, retryAfter?: string }
  | { kind: 'bad-response', upstreamStatus: number }
  | { kind: UpstreamFailure, detail: string }

function parse (text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function upstreamDetail (status: number, value: unknown): string {
  if (typeof value === 'object' && value !== null) {
    const { detail, title } = value as { detail?: unknown, title?: unknown }
    if (typeof detail === 'string' && detail !== '') return detail
    if (typeof title === 'string' && title !== '') return title
  }
  return `legacy answered ${status}`
}

const JOB_ID = /^[A-Za-z0-9_-]{1,64}$/

/** The gateway's 202 body, or undefined when it is not one (→ 502, not a guess). */
export function acceptedJobOf (value: unknown, locationHeader: string | undefined): AcceptedJob | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const { jobId, state, location } = value as Record<string, unknown>
  if (typeof jobId !== 'string' || !JOB_ID.test(jobId) || typeof state !== 'string' || typeof location !== 'string') return undefined
  // The Location header and the body agree, and the location names this job on the gateway.
  if (!location.startsWith('/') || !location.endsWith(`/${jobId}`)) return undefined
  if (locationHeader !== undefined && locationHeader !== location) return undefined
  return { jobId, state, location }
}

export interface PreparedForward {
  /** The legacy request body, exactly as sent (and as hashed into a derived key). */
  body: string
  idempotencyKey: string
}

export function prepareForward (billing: NewBilling, clientKey: string | undefined, requestId: string): PreparedForward {
  const body = JSON.stringify(toLegacyBilling(billing))
  return { body, idempotencyKey: idempotencyKeyFor(clientKey, requestId, body) }
}

export async function forwardBilling (gateway: BillingGateway, prepared: PreparedForward, timeoutMs: number, trace?: Record<string, string>): Promise<ForwardResult> {
  let answer: UpstreamAnswer
  try {
    answer = await gateway.postBilling(prepared.body, prepared.idempotencyKey, timeoutMs, trace)
  } catch (err) {
    if (err instanceof UpstreamCallError) return { kind: err.failure, detail: err.message }
    throw err
  }
  const retryAfter = answer.headers['retry-after']
  const value = parse(answer.body)
  const replayed = answer.headers['idempotent-replayed'] === 'true'
  if (answer.status === 202) {
    const job = acceptedJobOf(value, answer.headers.location)
    if (job === undefined) return { kind: 'bad-response', upstreamStatus: answer.status }
    return { kind: 'accepted', job, replayed }
  }
  if (answer.status >= 200 && answer.status < 300) {
    const dto = fromLegacyBilling(value)
    if (dto === undefined) return { kind: 'bad-response', upstreamStatus: answer.status }
    return { kind: 'created', billing: dto, replayed }
  }
  if (answer.status >= 400 && answer.status < 500) {
    const errors = fromLegacyErrors(value)
    return {
      kind: 'rejected',
      status: answer.status,
      detail: upstreamDetail(answer.status, value),
      ...(errors !== undefined ? { errors } : {}),
      ...(retryAfter !== undefined ? { retryAfter } : {})
    }
  }
  if (answer.status >= 500) return { kind: 'failed', upstreamStatus: answer.status, ...(retryAfter !== undefined ? { retryAfter } : {}) }
  // 1xx/3xx: the gateway never redirects a write; treat it as unusable rather than follow it
  return { kind: 'bad-response', upstreamStatus: answer.status }
}
