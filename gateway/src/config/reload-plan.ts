// What a config reload may change in a running gateway. Routes, the legacy shield, the legacy
// timeout and the tester override apply at once; listeners, the legacy connection pool, the
// Lambda clients and the state directory are built once at start, so a change there keeps the
// running value (reported, applied on restart) instead of leaving the context half-updated.
// Pure: no I/O, so it is unit-testable without servers.
import { isConfigInvalid } from './config-problem.js'
import { deepFreeze } from './deep-freeze.js'
import type { GatewayConfig } from './schema.js'

/** Config paths read only at start; a reload keeps their running values. */
export const RESTART_ONLY = [
  'server', 'admin', 'lambda', 'state', 'async',
  'legacy.url', 'legacy.connections', 'legacy.connectTimeoutMs', 'legacy.keepAliveTimeoutMs'
] as const

export type ReloadOutcome =
  | { ok: true, restartRequired: string[] }
  | { ok: false, errors: string[] }

export interface ReloadPlan {
  /** The config to run: the new one with the running values of the restart-only paths. */
  config: GatewayConfig
  /** Restart-only paths whose value changed (kept as running until a restart). */
  restartRequired: string[]
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b)

export function planReload (running: GatewayConfig, next: GatewayConfig): ReloadPlan {
  const restartRequired: string[] = []
  const keep = <T>(path: string, runningValue: T, nextValue: T): T => {
    if (!same(runningValue, nextValue)) restartRequired.push(path)
    return runningValue
  }
  const config = {
    ...next,
    server: keep('server', running.server, next.server),
    admin: keep('admin', running.admin, next.admin),
    lambda: keep('lambda', running.lambda, next.lambda),
    state: keep('state', running.state, next.state),
    // The job queue and worker are opened once (async-setup.ts); route-level async settings reload.
    async: keep('async', running.async, next.async),
    legacy: {
      ...next.legacy,
      url: keep('legacy.url', running.legacy.url, next.legacy.url),
      connections: keep('legacy.connections', running.legacy.connections, next.legacy.connections),
      connectTimeoutMs: keep('legacy.connectTimeoutMs', running.legacy.connectTimeoutMs, next.legacy.connectTimeoutMs),
      keepAliveTimeoutMs: keep('legacy.keepAliveTimeoutMs', running.legacy.keepAliveTimeoutMs, next.legacy.keepAliveTimeoutMs)
    }
  }
  return { config: deepFreeze(structuredClone(config)), restartRequired }
}

/** The `path: message` lines of a refused config (every problem), or the error's message. */
export function reloadErrors (err: unknown): string[] {
  if (isConfigInvalid(err)) return err.errors.map(p => `${p.path === '' ? '(document)' : p.path}: ${p.message}`)
  return [(err as Error).message ?? String(err)]
}
