// The only module of the stub that reads process.env. Everything else gets plain values.
import { InvalidSettingError } from './errors.js'

/** Settings of the capacity model; every field is optional in `buildLegacyStub(opts)`. */
export interface CapacitySettings {
  /** Workers of the simulated IIS thread pool (env LEGACY_MAX_CONCURRENCY, default 8). */
  maxConcurrency: number
  /** Service time a worker is held per request, in ms (env LEGACY_LATENCY_MS, default 20). */
  latencyMs: number
  /** Requests allowed to wait for a worker before 503/500 (env LEGACY_QUEUE_LIMIT, default 64). */
  queueLimit: number
}

export interface ListenSettings {
  /** env LEGACY_STUB_HOST, default 127.0.0.1 */
  host: string
  /** env LEGACY_STUB_PORT, default 5000 */
  port: number
}

export const DEFAULT_CAPACITY: Readonly<CapacitySettings> = Object.freeze({
  maxConcurrency: 8,
  latencyMs: 20,
  queueLimit: 64
})

export const DEFAULT_LISTEN: Readonly<ListenSettings> = Object.freeze({ host: '127.0.0.1', port: 5000 })

type Env = Record<string, string | undefined>

function intFromEnv (env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]
  if (raw === undefined || raw.trim() === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InvalidSettingError(name, raw, `an integer from ${min} to ${max}`)
  }
  return value
}

/** Capacity settings from the environment, with defaults. Throws STUB_ERR_INVALID_SETTING. */
export function capacityFromEnv (env: Env = process.env): CapacitySettings {
  return {
    maxConcurrency: intFromEnv(env, 'LEGACY_MAX_CONCURRENCY', DEFAULT_CAPACITY.maxConcurrency, 1, 10_000),
    latencyMs: intFromEnv(env, 'LEGACY_LATENCY_MS', DEFAULT_CAPACITY.latencyMs, 0, 60_000),
    queueLimit: intFromEnv(env, 'LEGACY_QUEUE_LIMIT', DEFAULT_CAPACITY.queueLimit, 0, 100_000)
  }
}

/** Where the shell listens. Throws STUB_ERR_INVALID_SETTING on a bad port. */
export function listenFromEnv (env: Env = process.env): ListenSettings {
  const host = env.LEGACY_STUB_HOST?.trim()
  return {
    host: host === undefined || host === '' ? DEFAULT_LISTEN.host : host,
    port: intFromEnv(env, 'LEGACY_STUB_PORT', DEFAULT_LISTEN.port, 0, 65_535)
  }
}

/** Check option values given in code with the same bounds as the environment. */
export function checkCapacity (settings: CapacitySettings): CapacitySettings {
  const bounds: Record<keyof CapacitySettings, [number, number]> = {
    maxConcurrency: [1, 10_000], latencyMs: [0, 60_000], queueLimit: [0, 100_000]
  }
  for (const [key, [min, max]] of Object.entries(bounds) as Array<[keyof CapacitySettings, [number, number]]>) {
    const value = settings[key]
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new InvalidSettingError(key, String(value), `an integer from ${min} to ${max}`)
    }
  }
  return settings
}
