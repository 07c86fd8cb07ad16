import neostandard from 'neostandard'

export default [
  ...neostandard({
    ts: true,
    ignores: ['dist/**', 'lambdas/dist/**', 'bench/results/**', 'coverage/**', '.tap/**', 'node_modules/**']
  }),
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
