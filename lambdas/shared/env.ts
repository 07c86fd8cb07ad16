// Env helpers for the module scope of a handler (read once per execution environment): a default
// for everything optional, and an error that names the variable and what was wrong with it.

export class EnvError extends Error {
  constructor (name: string, problem: string) {
    super(`environment variable ${name} ${problem}`)
    this.name = 'EnvError'
  }
}

type Env = Record<string, string | undefined>

export function envString (env: Env, name: string, fallback?: string): string {
  const raw = env[name]
  if (raw === undefined || raw.trim() === '') {
    if (fallback === undefined) throw new EnvError(name, 'is required but not set')
    return fallback
  }
  return raw.trim()
}

export function envInt (env: Env, name: string, rule: { fallback: number, min: number, max: number }): number {
  const raw = env[name]
  if (raw === undefined || raw.trim() === '') return rule.fallback
  if (!/^\d+$/.test(raw.trim())) throw new EnvError(name, `must be a whole number, got ${JSON.stringify(raw)}`)
  const n = Number(raw.trim())
  if (n < rule.min || n > rule.max) throw new EnvError(name, `must be between ${rule.min} and ${rule.max}, got ${n}`)
  return n
}

export function envOneOf<T extends string> (env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const value = envString(env, name, fallback)
  const hit = allowed.find(a => a === value)
  if (hit === undefined) throw new EnvError(name, `must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`)
  return hit
}

/** An absolute http(s) URL without a trailing slash. */
export function envUrl (env: Env, name: string, fallback: string): string {
  const value = envString(env, name, fallback)
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new EnvError(name, `must be an absolute URL, got ${JSON.stringify(value)}`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new EnvError(name, `must be an http(s) URL, got ${JSON.stringify(value)}`)
  return value.replace(/\/+$/, '')
}
