// docs/errors.md and the code agree: every GW_ERR_* code written in gateway/src is a row of the
// table, every row names a code the gateway has, and each error class of errors.ts answers with
// the status its row gives.
import t from 'tap'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as errors from '../../gateway/src/errors.js'

const SRC = join(import.meta.dirname, '..', '..', 'gateway', 'src')
const DOC = join(import.meta.dirname, '..', '..', 'docs', 'errors.md')

/** Complete codes in string literals (a prefix such as 'GW_ERR_REQUEST_' ends in `_` and is not one). */
function codesInSource (): Set<string> {
  const codes = new Set<string>()
  const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter(f => f.endsWith('.ts'))
  for (const f of files) {
    for (const m of readFileSync(join(SRC, f), 'utf8').matchAll(/['"`](GW_ERR_[A-Z0-9]+(?:_[A-Z0-9]+)*)['"`]/g)) codes.add(m[1]!)
  }
  return codes
}

/** Code → Status of the table rows (`Code | Status | Meaning | What to do`). */
function documented (): Map<string, number> {
  const rows = new Map<string, number>()
  for (const line of readFileSync(DOC, 'utf8').split('\n')) {
    const m = /^(GW_ERR_[A-Z0-9_]+) \| (\d{3}) \|/.exec(line)
    if (m === null) continue
    if (rows.has(m[1]!)) throw new Error(`docs/errors.md lists ${m[1]} twice`)
    rows.set(m[1]!, Number(m[2]))
  }
  return rows
}

/** Code → status of every error class errors.ts exports. */
function errorClasses (): Map<string, number | undefined> {
  const out = new Map<string, number | undefined>()
  for (const value of Object.values(errors)) {
    if (typeof value !== 'function') continue
    // The message arguments do not matter here: code and status are fixed per class.
    const err = new (value as unknown as new () => { code?: unknown, statusCode?: number })()
    if (typeof err.code === 'string') out.set(err.code, err.statusCode)
  }
  return out
}

t.test('every code in gateway/src is documented, and every documented code exists', async t => {
  const inSource = codesInSource()
  const rows = documented()
  t.ok(inSource.size >= 30, `found ${inSource.size} codes in gateway/src`)
  t.same([...inSource].filter(c => !rows.has(c)).sort(), [], 'codes missing from docs/errors.md')
  t.same([...rows.keys()].filter(c => !inSource.has(c)).sort(), [], 'documented codes the gateway does not have')
})

t.test('each error class answers with the status its row documents', async t => {
  const classes = errorClasses()
  const rows = documented()
  t.ok(classes.size >= 30, `${classes.size} error classes in errors.ts`)
  for (const [code, status] of classes) t.equal(rows.get(code), status, code)
})
