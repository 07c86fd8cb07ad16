// Config test helpers: fixture paths, a config directory written into the test's own temp dir
// (so overlays and missing files are real files), and the thrown error as data.
import { join } from 'node:path'
import type { Test } from 'tap'
import { isConfigInvalid } from '../../gateway/src/config/config-problem.js'
import type { ConfigProblem } from '../../gateway/src/config/config-problem.js'

export const CONFIG_FIXTURES = 'test/fixtures/configs'

/** Path of a file in test/fixtures/configs/. */
export function configFixture (name: string): string {
  return join(CONFIG_FIXTURES, name)
}

/**
 * Writes `gateway.yaml` and optional `stages/<stage>.yaml` files into a fresh test dir and
 * returns the path of gateway.yaml (pass it as loadConfig's `path`).
 */
export function writeConfigDir (t: Test, base: string, stages: Record<string, string> = {}): string {
  const stageFiles = Object.fromEntries(Object.entries(stages).map(([name, text]) => [`${name}.yaml`, text]))
  const dir = t.testdir({ 'gateway.yaml': base, stages: stageFiles })
  return join(dir, 'gateway.yaml')
}

/** Runs `fn`, which must throw; returns the error. */
export function thrown (fn: () => unknown): Error & { code?: string, errors?: readonly ConfigProblem[] } {
  try {
    fn()
  } catch (err) {
    return err as Error & { code?: string }
  }
  throw new Error('expected the call to throw')
}

/** The `errors` list of a ConfigInvalidError (throws if `err` is not one). */
export function problemsOf (err: unknown): readonly ConfigProblem[] {
  if (!isConfigInvalid(err)) throw new Error(`not a ConfigInvalidError: ${String(err)}`)
  return err.errors
}

/** A valid route for tests, with overrides. */
export function route (over: Record<string, unknown> = {}): Record<string, unknown> {
  return { id: 'users.get', methods: ['GET'], path: '/api/users/:id', target: 'legacy', ...over }
}

/**
 * The protection blocks of `legacy` as the loader fills them when a file leaves them out (the
 * schema's defaults: docs/protection.md). Pinned here so a changed default fails a test.
 */
export const LEGACY_PROTECTION_BLOCKS = {
  queue: { maxSize: 64, maxWaitMs: 250 },
  rateLimit: { perSecond: 200, burst: 50 },
  breaker: { errorThresholdPercentage: 50, volumeThreshold: 20, resetTimeoutMs: 5000, rollingCountTimeoutMs: 10000, rollingCountBuckets: 10 },
  bufferedRetries: { enabled: false, maxAttempts: 2, budgetPercent: 20, minRetryConcurrency: 3, baseDelayMs: 25, maxDelayMs: 250 },
  adaptive: { enabled: false, minConcurrency: 1, latencyThresholdMs: 500, backoffRatio: 0.9 }
}
