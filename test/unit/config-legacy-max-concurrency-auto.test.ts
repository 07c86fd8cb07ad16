// legacy.maxConcurrency takes a number or `auto`, also through ${VAR} interpolation; anything else
// is refused with what was expected; `auto` together with the AIMD `adaptive` cap is refused.
import t from 'tap'
import { parseConfig } from '../../gateway/src/config/load-config.js'
import { problemsOf, thrown } from '../helpers/config.js'

const yaml = (legacy: string): string => `stage: dev\nlegacy:\n  url: http://127.0.0.1:5000\n${legacy}\nroutes: []\n`
const load = (legacy: string, env: Record<string, string> = {}): unknown =>
  parseConfig(yaml(legacy), { file: 'gateway.yaml', stage: 'dev', env }).legacy.maxConcurrency

t.test('a number, auto, or either through an environment variable', async t => {
  /* eslint-disable no-template-curly-in-string -- the config's own ${VAR} syntax */
  t.equal(load('  maxConcurrency: 12'), 12)
  t.equal(load('  maxConcurrency: auto'), 'auto')
  t.equal(load('  maxConcurrency: ${MAXC:-auto}'), 'auto')
  t.equal(load('  maxConcurrency: ${MAXC:-8}', { MAXC: '16' }), 16, 'a number from the environment is a number')
  /* eslint-enable no-template-curly-in-string */
  t.equal(load(''), 8, 'default 8')
})

t.test('anything else is refused with what is expected', async t => {
  for (const [value, found] of [['0', '0'], ['autox', '"autox"'], ['2.5', '2.5']] as const) {
    const err = thrown(() => load(`  maxConcurrency: ${value}`))
    t.same(problemsOf(err), [{ path: 'legacy.maxConcurrency', message: `expected an integer of at least 1, or auto, found ${found}` }])
  }
})

t.test('auto and the AIMD adaptive cap together are refused', async t => {
  const err = thrown(() => load('  maxConcurrency: auto\n  adaptive: { enabled: true }'))
  t.same(problemsOf(err), [{ path: 'legacy.adaptive.enabled', message: 'expected false with legacy.maxConcurrency: auto (auto is itself an adaptive cap), found true' }])
})
