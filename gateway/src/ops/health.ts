// Liveness and readiness. Alive = the process answers. Ready = config loaded, both listeners
// up, not draining, and every registered check passing — later features (Redis state, config
// watch) add checks through `addCheck` instead of editing this file.

// Declared here, not in pipeline/context.ts (which holds it on the gateway context): readiness
// reads it, and the context already imports this file, so the type lives on the side with no
// import back.
export interface Lifecycle {
  /** Both listeners are up (set by the shell, or by tests that listen). */
  listening: boolean
  /** Shutdown has begun: /readyz answers 503 and new requests are refused. */
  draining: boolean
}

export interface CheckResult { ok: boolean, detail?: string }
export type ReadinessCheck = () => CheckResult | Promise<CheckResult>

export interface Readiness {
  addCheck (name: string, check: ReadinessCheck): void
  evaluate (): Promise<{ ready: boolean, status: string, checks: Record<string, CheckResult> }>
}

export function createReadiness (lifecycle: Lifecycle): Readiness {
  const checks = new Map<string, ReadinessCheck>()
  return {
    addCheck (name, check) { checks.set(name, check) },
    async evaluate () {
      const results: Record<string, CheckResult> = {
        listeners: lifecycle.listening ? { ok: true } : { ok: false, detail: 'listeners not up' }
      }
      for (const [name, check] of checks) {
        try {
          results[name] = await check()
        } catch (err) {
          results[name] = { ok: false, detail: (err as Error).message }
        }
      }
      if (lifecycle.draining) return { ready: false, status: 'draining', checks: results }
      const ready = Object.values(results).every(r => r.ok)
      return { ready, status: ready ? 'ready' : 'not_ready', checks: results }
    }
  }
}
