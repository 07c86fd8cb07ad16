// The standard OpenTelemetry environment variables (opentelemetry.io/docs/specs/otel/configuration/
// sdk-environment-variables), read into plain settings. Pure: the caller passes the environment
// (config/env.ts passes process.env), so tests configure tracing without touching the process.
// One deliberate difference from the spec: with no OTLP endpoint set, tracing is OFF (the spec
// would export to http://localhost:4318): a gateway that nobody pointed at a backend must not
// allocate spans on the hot path nor retry exports to a collector that is not there.
import type { ConfigProblem } from '../config/config-problem.js'

export const SAMPLERS = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'] as const
export type SamplerName = typeof SAMPLERS[number]

export interface TracingSettings {
  /** False when OTEL_SDK_DISABLED=true, OTEL_TRACES_EXPORTER=none or no endpoint is set. */
  readonly enabled: boolean
  /** OTLP/HTTP traces URL: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as is, or OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces. */
  readonly url: string | undefined
  /** OTEL_EXPORTER_OTLP_[TRACES_]HEADERS, `k=v,k2=v2` (percent-decoded). */
  readonly headers: Readonly<Record<string, string>>
  /** service.name: OTEL_SERVICE_NAME, else OTEL_RESOURCE_ATTRIBUTES' service.name, else strangler-gateway. */
  readonly serviceName: string
  /** OTEL_RESOURCE_ATTRIBUTES (service.name removed: see serviceName). */
  readonly resourceAttributes: Readonly<Record<string, string>>
  /** OTEL_TRACES_SAMPLER, default parentbased_always_on. */
  readonly sampler: SamplerName
  /** OTEL_TRACES_SAMPLER_ARG for the ratio samplers, default 1. */
  readonly samplerRatio: number
  /** OTEL_BSP_SCHEDULE_DELAY (ms, default 5000), OTEL_BSP_MAX_QUEUE_SIZE (2048), OTEL_BSP_MAX_EXPORT_BATCH_SIZE (512), OTEL_BSP_EXPORT_TIMEOUT (30000). */
  readonly batch: { readonly scheduledDelayMillis: number, readonly maxQueueSize: number, readonly maxExportBatchSize: number, readonly exportTimeoutMillis: number }
}

export const DEFAULT_SERVICE_NAME = 'strangler-gateway'

const nonEmpty = (v: string | undefined): string | undefined => (v === undefined || v.trim() === '' ? undefined : v.trim())

/** `k=v,k2=v2` as OTEL_RESOURCE_ATTRIBUTES and OTEL_EXPORTER_OTLP_HEADERS write it; undefined if malformed. */
export function parseKeyValueList (raw: string): Record<string, string> | undefined {
  const out: Record<string, string> = {}
  for (const item of raw.split(',')) {
    if (item.trim() === '') continue
    const eq = item.indexOf('=')
    if (eq <= 0) return undefined
    try {
      const key = decodeURIComponent(item.slice(0, eq).trim())
      if (key === '' || key === '__proto__') return undefined
      out[key] = decodeURIComponent(item.slice(eq + 1).trim())
    } catch {
      return undefined
    }
  }
  return out
}

function tracesUrl (env: NodeJS.ProcessEnv): string | undefined {
  const specific = nonEmpty(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT)
  if (specific !== undefined) return specific
  const base = nonEmpty(env.OTEL_EXPORTER_OTLP_ENDPOINT)
  return base === undefined ? undefined : `${base.replace(/\/+$/, '')}/v1/traces`
}

function positiveInt (env: NodeJS.ProcessEnv, name: string, fallback: number, problems: ConfigProblem[]): number {
  const raw = nonEmpty(env[name])
  if (raw === undefined) return fallback
  const n = Number(raw)
  if (Number.isInteger(n) && n > 0) return n
  problems.push({ path: name, message: `expected a positive integer, found ${JSON.stringify(raw)}` })
  return fallback
}

function keyValues (env: NodeJS.ProcessEnv, name: string, problems: ConfigProblem[]): Record<string, string> {
  const raw = nonEmpty(env[name])
  if (raw === undefined) return {}
  const parsed = parseKeyValueList(raw)
  if (parsed === undefined) problems.push({ path: name, message: 'expected a comma-separated list of key=value (percent-encoded)' })
  return parsed ?? {}
}

function samplerOf (env: NodeJS.ProcessEnv, problems: ConfigProblem[]): { sampler: SamplerName, samplerRatio: number } {
  const raw = (nonEmpty(env.OTEL_TRACES_SAMPLER) ?? 'parentbased_always_on').toLowerCase()
  const sampler = (SAMPLERS as readonly string[]).includes(raw) ? raw as SamplerName : 'parentbased_always_on'
  if (sampler !== raw) problems.push({ path: 'OTEL_TRACES_SAMPLER', message: `expected one of ${SAMPLERS.join('|')}, found ${JSON.stringify(raw)}` })
  const arg = nonEmpty(env.OTEL_TRACES_SAMPLER_ARG)
  let samplerRatio = 1
  if (arg !== undefined && sampler.endsWith('traceidratio')) {
    const n = Number(arg)
    if (Number.isFinite(n) && n >= 0 && n <= 1) samplerRatio = n
    else problems.push({ path: 'OTEL_TRACES_SAMPLER_ARG', message: `expected a ratio between 0 and 1, found ${JSON.stringify(arg)}` })
  }
  return { sampler, samplerRatio }
}

/** The tracing settings and every problem found (the caller refuses to start on any). */
export function readTracingEnv (env: NodeJS.ProcessEnv): { settings: TracingSettings, problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = []
  const disabled = nonEmpty(env.OTEL_SDK_DISABLED)?.toLowerCase() === 'true'
  const exporters = (nonEmpty(env.OTEL_TRACES_EXPORTER) ?? 'otlp').toLowerCase().split(',').map(s => s.trim())
  const unknown = exporters.filter(e => e !== 'otlp' && e !== 'none')
  if (unknown.length > 0) problems.push({ path: 'OTEL_TRACES_EXPORTER', message: `expected otlp or none (the gateway exports OTLP/HTTP only), found ${JSON.stringify(unknown.join(','))}` })
  const protocol = nonEmpty(env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL) ?? nonEmpty(env.OTEL_EXPORTER_OTLP_PROTOCOL)
  if (protocol !== undefined && protocol !== 'http/json') {
    problems.push({ path: 'OTEL_EXPORTER_OTLP_PROTOCOL', message: `expected http/json (the gateway sends OTLP/HTTP with JSON bodies, which every OTLP/HTTP receiver accepts), found ${JSON.stringify(protocol)}` })
  }
  const url = tracesUrl(env)
  if (url !== undefined && !/^https?:\/\/[^\s]+$/.test(url)) problems.push({ path: 'OTEL_EXPORTER_OTLP_ENDPOINT', message: `expected an http(s):// URL, found ${JSON.stringify(url)}` })
  const attributes = keyValues(env, 'OTEL_RESOURCE_ATTRIBUTES', problems)
  const headers = { ...keyValues(env, 'OTEL_EXPORTER_OTLP_HEADERS', problems), ...keyValues(env, 'OTEL_EXPORTER_OTLP_TRACES_HEADERS', problems) }
  const serviceName = nonEmpty(env.OTEL_SERVICE_NAME) ?? attributes['service.name'] ?? DEFAULT_SERVICE_NAME
  delete attributes['service.name']
  const batch = {
    scheduledDelayMillis: positiveInt(env, 'OTEL_BSP_SCHEDULE_DELAY', 5000, problems),
    maxQueueSize: positiveInt(env, 'OTEL_BSP_MAX_QUEUE_SIZE', 2048, problems),
    maxExportBatchSize: positiveInt(env, 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE', 512, problems),
    exportTimeoutMillis: positiveInt(env, 'OTEL_BSP_EXPORT_TIMEOUT', 30_000, problems)
  }
  if (batch.maxExportBatchSize > batch.maxQueueSize) problems.push({ path: 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE', message: `must not exceed OTEL_BSP_MAX_QUEUE_SIZE (${batch.maxQueueSize})` })
  const enabled = !disabled && !exporters.includes('none') && url !== undefined
  return {
    settings: Object.freeze({ enabled, url, headers, serviceName, resourceAttributes: attributes, ...samplerOf(env, problems), batch }),
    problems
  }
}
