// Compares two captured answers: status, selected headers, and the JSON body after normalisation.
// Non-JSON bodies are compared as text. Pure.
import { diffJson } from './diff.js'
import type { DiffEntry } from './diff.js'
import { normalise } from './normalise.js'
import type { CompiledCompare } from './normalise.js'

export interface CapturedAnswer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

export interface CompareResult { match: boolean, diffs: DiffEntry[] }

export function parseJson (body: string): { ok: true, value: unknown } | { ok: false } {
  try { return { ok: true, value: JSON.parse(body) } } catch { return { ok: false } }
}

export function compareResponses (legacy: CapturedAnswer, lambda: CapturedAnswer, c: CompiledCompare): CompareResult {
  const diffs: DiffEntry[] = []
  if (legacy.status !== lambda.status) diffs.push({ path: 'status', legacy: legacy.status, lambda: lambda.status })
  for (const h of c.headers) {
    const a = headerText(legacy.headers[h])
    const b = headerText(lambda.headers[h])
    if (a !== b) diffs.push({ path: `headers.${h}`, legacy: a, lambda: b })
  }
  const a = parseJson(legacy.body)
  const b = parseJson(lambda.body)
  if (a.ok && b.ok) {
    diffs.push(...diffJson(normalise(a.value, c, 'legacy'), normalise(b.value, c, 'lambda')))
  } else if (legacy.body !== lambda.body) {
    diffs.push({ path: 'body', legacy: legacy.body.slice(0, 200), lambda: lambda.body.slice(0, 200) })
  }
  return { match: diffs.length === 0, diffs }
}

function headerText (v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(', ') : v
}
