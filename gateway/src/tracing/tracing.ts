// The tracer the gateway's spans come from, built from TracingSettings (otel-env.ts). Off — no
// endpoint, OTEL_SDK_DISABLED or OTEL_TRACES_EXPORTER=none — it is TRACING_OFF: no provider, no
// exporter, no timer, and callers test `enabled` before building any span, so the hot path
// allocates nothing for tracing. On, spans go through a batch processor to one OTLP/HTTP
// exporter (JSON). No global provider or context manager is registered: every span is started
// with an explicit parent context, so several gateways in one process (tests) keep apart and no
// AsyncLocalStorage hop is paid per request.
import { ROOT_CONTEXT, trace } from '@opentelemetry/api'
import type { Context, SpanContext, Tracer } from '@opentelemetry/api'
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http'
import { resourceFromAttributes } from '@opentelemetry/resources'
import {
  AlwaysOffSampler, AlwaysOnSampler, BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler, TracerProvider
} from '@opentelemetry/sdk-trace'
import type { Sampler, SpanExporter } from '@opentelemetry/sdk-trace'
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions'
import type { TracingSettings } from './otel-env.js'
import { TimeTraceIdGenerator } from './time-trace-ids.js'

export const TRACER_NAME = 'strangler-gateway'

export interface GatewayTracing {
  /** False: no tracer exists and nothing may be traced (check before building attributes). */
  readonly enabled: boolean
  /** The tracer (undefined exactly when disabled). */
  readonly tracer: Tracer | undefined
  /** Exports what has ended so far (tests, shutdown). */
  forceFlush (): Promise<void>
  /** Flushes and stops the exporter; idempotent. */
  shutdown (): Promise<void>
}

export const TRACING_OFF: GatewayTracing = Object.freeze({
  enabled: false,
  tracer: undefined,
  forceFlush: async () => {},
  shutdown: async () => {}
})

export interface TracingOptions {
  /** service.version on the resource. */
  serviceVersion?: string
  /** Instead of the OTLP exporter (tests of the setup itself). */
  exporter?: SpanExporter
}

function samplerOf (settings: TracingSettings): Sampler {
  const ratio = new TraceIdRatioBasedSampler(settings.samplerRatio)
  switch (settings.sampler) {
    case 'always_on': return new AlwaysOnSampler()
    case 'always_off': return new AlwaysOffSampler()
    case 'traceidratio': return ratio
    case 'parentbased_always_off': return new ParentBasedSampler({ root: new AlwaysOffSampler() })
    case 'parentbased_traceidratio': return new ParentBasedSampler({ root: ratio })
    default: return new ParentBasedSampler({ root: new AlwaysOnSampler() })
  }
}

export function createTracing (settings: TracingSettings, opts: TracingOptions = {}): GatewayTracing {
  if (!settings.enabled) return TRACING_OFF
  const exporter = opts.exporter ?? new OTLPTraceExporter({ url: settings.url, headers: { ...settings.headers } })
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      ...settings.resourceAttributes,
      [ATTR_SERVICE_NAME]: settings.serviceName,
      ...(opts.serviceVersion ? { [ATTR_SERVICE_VERSION]: opts.serviceVersion } : {})
    }),
    sampler: samplerOf(settings),
    idGenerator: new TimeTraceIdGenerator(),
    spanProcessors: [new BatchSpanProcessor({ exporter, ...settings.batch })]
  })
  const tracer = provider.getTracer(TRACER_NAME, opts.serviceVersion)
  let stopped: Promise<void> | undefined
  return {
    enabled: true,
    tracer,
    forceFlush: () => provider.forceFlush(),
    shutdown: () => (stopped ??= provider.shutdown())
  }
}

/** The context to start a child of `parent` in (a span context, local or remote; none = a new trace). */
export function contextWith (parent: SpanContext | undefined): Context {
  return parent === undefined ? ROOT_CONTEXT : trace.setSpanContext(ROOT_CONTEXT, parent)
}
