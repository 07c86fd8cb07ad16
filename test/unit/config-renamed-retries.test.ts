// legacy.retries was renamed legacy.bufferedRetries (it only applies to buffered calls: shadow,
// async delivery). The old name still loads, as the new one, with a deprecation logged at start;
// writing both is an error.
import t from 'tap'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseConfig } from '../../gateway/src/config/load-config.js'
import { configDeprecations } from '../../gateway/src/config/renamed-settings.js'
import { createLogger } from '../../gateway/src/logging.js'
import { openProcessState } from '../../gateway/src/server-state.js'
import { logCapture } from '../helpers/gateway.js'
import { problemsOf, thrown } from '../helpers/config.js'

const RETRY_DEFAULTS = { enabled: false, maxAttempts: 2, budgetPercent: 20, minRetryConcurrency: 3, baseDelayMs: 25, maxDelayMs: 250 }
const OLD = 'legacy:\n  retries: { enabled: true, maxAttempts: 3 }\n'

t.test('the old name loads as the new one, with a deprecation', async t => {
  const config = parseConfig(OLD, { env: {} })
  t.same(config.legacy.bufferedRetries, { ...RETRY_DEFAULTS, enabled: true, maxAttempts: 3 })
  t.equal(config.legacy.retries, undefined, 'only the new name is left in the loaded config')
  t.same(configDeprecations(config), [{
    path: 'legacy.retries',
    replacement: 'legacy.bufferedRetries',
    message: 'legacy.retries is deprecated: renamed to legacy.bufferedRetries (it only ever applied to buffered calls, shadow and async delivery, never to a proxied request); read as legacy.bufferedRetries for now'
  }])
})

t.test('the new name: no deprecation; neither: the defaults', async t => {
  const config = parseConfig('legacy:\n  bufferedRetries: { enabled: true }\n', { env: {} })
  t.same(config.legacy.bufferedRetries, { ...RETRY_DEFAULTS, enabled: true })
  t.same(configDeprecations(config), [])
  t.same(parseConfig('{}', { env: {} }).legacy.bufferedRetries, RETRY_DEFAULTS)
})

t.test('both names, or a bad value under the old one, are errors at the path written', async t => {
  t.same(problemsOf(thrown(() => parseConfig(OLD + '  bufferedRetries: { enabled: false }\n', { env: {} }))),
    [{ path: 'legacy.retries', message: 'expected only legacy.bufferedRetries (legacy.retries is its old name), found both' }])
  const bad = problemsOf(thrown(() => parseConfig('legacy:\n  retries: { maxAttempts: 9 }\n', { env: {} })))
  t.same(bad.map(p => p.path), ['legacy.retries.maxAttempts'])
})

t.test('a started gateway logs the deprecation once, as a warning', async t => {
  const dir = mkdtempSync(join(tmpdir(), 'gw-renamed-'))
  t.teardown(() => { rmSync(dir, { recursive: true, force: true }) })
  const capture = logCapture()
  const state = await openProcessState({ config: parseConfig(OLD, { env: {} }), stateDir: dir, redisUrl: undefined, logger: createLogger({ stream: capture.stream }) })
  t.teardown(() => state.close())
  const warnings = capture.lines().filter(l => l.level === 'warn')
  t.match(warnings, [{ setting: 'legacy.retries', replacement: 'legacy.bufferedRetries', msg: /^legacy\.retries is deprecated: renamed to legacy\.bufferedRetries/ }])
  t.equal(warnings.length, 1)
})
