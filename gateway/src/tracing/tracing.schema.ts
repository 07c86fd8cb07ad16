// The tracing area's config keys. The exporter, sampler and service name are NOT config: they
// come from the standard OTEL_* environment variables only (otel-env.ts). What is config is what
// belongs to the deployment's trust and the function's setup.
import { OneOf } from '../config/schema/common.schema.js'
import { TRACE_CONTEXT_POLICIES } from './trace-context.js'

/** Lambda's `TracingConfig.Mode` values (SAM `Tracing`). */
export const LAMBDA_TRACING_MODES = ['PassThrough', 'Active'] as const

/** Spread into `server`. */
export const serverTracingProperties = {
  traceContext: OneOf(TRACE_CONTEXT_POLICIES, {
    default: 'any',
    description: 'Whose incoming traceparent/tracestate is continued: any client; only peers in server.trustedProxies (trusted-proxies); nobody (ignore). A malformed one is always ignored'
  })
}

/** Spread into a route's `lambda`. */
export const lambdaTracingProperties = {
  tracing: OneOf(LAMBDA_TRACING_MODES, {
    default: 'PassThrough',
    description: 'The function\'s tracing mode as in template.yaml (Tracing): Active also sends the trace as X-Amzn-Trace-Id, so Lambda and X-Ray join it'
  })
}
