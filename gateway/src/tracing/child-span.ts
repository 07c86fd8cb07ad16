// One started span behind a small handle: the context an upstream call carries, and an end that
// records the outcome. Shared by the request's child spans (upstream-spans.ts) and the spans of
// work that outlives or follows a request (linked-spans.ts).
import { SpanStatusCode } from '@opentelemetry/api'
import type { Attributes, Context, Link, SpanContext, SpanKind, Tracer } from '@opentelemetry/api'
import { ATTR_ERROR_TYPE, ATTR_HTTP_RESPONSE_STATUS_CODE } from '@opentelemetry/semantic-conventions'
import { ATTR_ERROR_CODE } from './span-attributes.js'

/** A started child span: its context (what the upstream call carries) and its end. */
export interface ChildSpan {
  /** The context to send upstream: this span's; null for NO_SPAN. */
  readonly context: SpanContext | null
  /** Ends the span with these attributes; a 5xx status or an `error` marks it failed. Idempotent. */
  end (attributes?: Attributes, error?: { code?: string, message?: string }): void
}

const noop = (): void => {}

/** No span (tracing off): no context to send, nothing to end. */
export const NO_SPAN: ChildSpan = Object.freeze({ context: null, end: noop })

export function openSpan (tracer: Tracer, name: string, kind: SpanKind, attributes: Attributes, parent: Context, links?: Link[]): ChildSpan {
  const span = tracer.startSpan(name, { kind, attributes, ...(links ? { links } : {}) }, parent)
  let ended = false
  return {
    context: span.spanContext(),
    end (attrs, error) {
      if (ended) return
      ended = true
      if (attrs !== undefined) span.setAttributes(attrs)
      const status = attrs?.[ATTR_HTTP_RESPONSE_STATUS_CODE]
      if (error !== undefined) {
        span.setAttribute(ATTR_ERROR_TYPE, error.code ?? 'error')
        if (error.code !== undefined) span.setAttribute(ATTR_ERROR_CODE, error.code)
        span.setStatus({ code: SpanStatusCode.ERROR, ...(error.message ? { message: error.message } : {}) })
      } else if (typeof status === 'number' && status >= 500) {
        span.setAttribute(ATTR_ERROR_TYPE, String(status))
        span.setStatus({ code: SpanStatusCode.ERROR })
      }
      span.end()
    }
  }
}

/** The error fields a span ends with: a typed error's code (GW_ERR_…), else its name. */
export function spanErrorOf (err: unknown): { code: string, message: string } {
  return { code: (err as { code?: string } | null)?.code ?? (err as Error | null)?.name ?? 'Error', message: (err as Error | null)?.message ?? String(err) }
}

/** Runs `call` inside `span`: ended with the answer's HTTP status, or with the error (rethrown). */
export async function within<T> (span: ChildSpan, call: () => Promise<T>, statusOf: (value: T) => number): Promise<T> {
  try {
    const value = await call()
    span.end({ [ATTR_HTTP_RESPONSE_STATUS_CODE]: statusOf(value) })
    return value
  } catch (err) {
    span.end(undefined, spanErrorOf(err))
    throw err
  }
}
