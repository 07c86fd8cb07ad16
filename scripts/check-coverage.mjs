#!/usr/bin/env node
// tap either demands 100% coverage or none; this script enforces the real threshold we hold
// ourselves to, on the code we ship (gateway, lambdas, legacy-stub), from tap's json-summary.
import { readFileSync } from 'node:fs'
import { relative } from 'node:path'

const THRESHOLDS = { lines: 80, statements: 80, functions: 80, branches: 70 }
const SHIPPED = /^(gateway\/src|lambdas|legacy-stub\/src)\//

const summaryPath = new URL('../.tap/report/coverage-summary.json', import.meta.url)
let summary
try {
  summary = JSON.parse(readFileSync(summaryPath, 'utf8'))
} catch (err) {
  console.error(`coverage: no summary at ${summaryPath.pathname} (${err.code ?? err.message}); did tap run with coverage?`)
  process.exit(1)
}

const totals = { lines: [0, 0], statements: [0, 0], functions: [0, 0], branches: [0, 0] }
let files = 0
for (const [file, metrics] of Object.entries(summary)) {
  if (file === 'total') continue
  const rel = relative(process.cwd(), file)
  if (!SHIPPED.test(rel)) continue
  files++
  for (const key of Object.keys(totals)) {
    totals[key][0] += metrics[key].covered
    totals[key][1] += metrics[key].total
  }
}
if (files === 0) {
  console.error('coverage: no shipped source file was covered by the tests')
  process.exit(1)
}
let failed = false
const parts = []
for (const [key, [covered, total]] of Object.entries(totals)) {
  const pct = total === 0 ? 100 : (100 * covered) / total
  parts.push(`${key} ${pct.toFixed(1)}% (min ${THRESHOLDS[key]}%)`)
  if (pct < THRESHOLDS[key]) failed = true
}
console.log(`coverage of shipped code over ${files} files: ${parts.join(', ')}`)
if (failed) {
  console.error('coverage: below threshold')
  process.exit(1)
}
