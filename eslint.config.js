import neostandard from 'neostandard'
import globals from 'globals'

export default [
  ...neostandard({
    ts: true,
    ignores: ['dist/**', 'lambdas/dist/**', 'bench/results/**', 'coverage/**', '.tap/**', 'node_modules/**']
  }),
  {
    // The cockpit page's plain ES modules run in the browser (gateway/cockpit-ui, no build step).
    files: ['gateway/cockpit-ui/**/*.js'],
    languageOptions: { globals: globals.browser }
  },
  {
    // Focused or skipped tests hide failures: `t.only`/`t.skip`/`t.todo` are not allowed in committed tests.
    files: ['test/**/*.ts'],
    rules: {
      'no-restricted-properties': ['error',
        { object: 't', property: 'only', message: 'focused test: remove t.only' },
        { object: 't', property: 'skip', message: 'skipped test: fix the failure instead' },
        { object: 't', property: 'todo', message: 'todo test: write it or remove it' }
      ]
    }
  }
]
