// Fault injection state behind POST /__faults, and the validation of its body. Pure.
import type { FieldErrors } from './errors.js'
import { validationError } from './errors.js'

export interface Faults {
  /** Service time per request in ms (starts at the configured latencyMs). */
  latencyMs: number
  /** Share (0..1) of admitted requests answered with an injected 500. */
  errorRate: number
  /** Connections are reset instead of answered. */
  down: boolean
}

/** A change to the faults; `latencyMs: null` restores the configured latency. */
export interface FaultsPatch {
  latencyMs?: number | null
  errorRate?: number
  down?: boolean
}

const KNOWN = new Set(['latencyMs', 'errorRate', 'down'])

export function validateFaultsPatch (body: unknown): FaultsPatch {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw validationError({ '': ['A JSON object is required: { latencyMs?, errorRate?, down? }.'] })
  }
  const input = body as Record<string, unknown>
  const errors: FieldErrors = {}
  for (const key of Object.keys(input)) {
    if (!KNOWN.has(key)) errors[key] = ['Unknown field; allowed: latencyMs, errorRate, down.']
  }
  const patch: FaultsPatch = {}
  const { latencyMs, errorRate, down } = input
  if (latencyMs !== undefined) {
    if (latencyMs === null || (Number.isInteger(latencyMs) && (latencyMs as number) >= 0 && (latencyMs as number) <= 60_000)) {
      patch.latencyMs = latencyMs as number | null
    } else errors.latencyMs = ['Must be an integer from 0 to 60000, or null for the configured latency.']
  }
  if (errorRate !== undefined) {
    if (typeof errorRate === 'number' && errorRate >= 0 && errorRate <= 1) patch.errorRate = errorRate
    else errors.errorRate = ['Must be a number from 0 to 1.']
  }
  if (down !== undefined) {
    if (typeof down === 'boolean') patch.down = down
    else errors.down = ['Must be true or false.']
  }
  if (Object.keys(errors).length > 0) throw validationError(errors)
  return patch
}

export function applyFaultsPatch (current: Faults, patch: FaultsPatch, configuredLatencyMs: number): Faults {
  return {
    latencyMs: patch.latencyMs === undefined ? current.latencyMs : patch.latencyMs ?? configuredLatencyMs,
    errorRate: patch.errorRate ?? current.errorRate,
    down: patch.down ?? current.down
  }
}
