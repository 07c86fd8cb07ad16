// The runtime's REPORT log line → figures (pure). Lambda writes one per invocation, e.g.
//   REPORT RequestId: 8f5…\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\t
//   Max Memory Used: 60 MB\tInit Duration: 85.12 ms
// `Init Duration` appears only when the invocation started a new execution environment: that is
// how the gateway counts cold starts. The log tail is the last 4 KB of the invocation's log, so it
// may hold earlier lines (or be cut): we take the LAST REPORT line and tolerate missing fields.
import type { LambdaReport } from './lambda-types.js'

export type { LambdaReport } from './lambda-types.js'

function field (line: string, label: string): number | undefined {
  const m = new RegExp(`${label}:\\s*([0-9]+(?:\\.[0-9]+)?)\\s*(?:ms|MB)`).exec(line)
  return m?.[1] === undefined ? undefined : Number(m[1])
}

/** Parse the last `REPORT` line of a (base64-decoded) log tail; undefined when there is none. */
export function parseReport (logTail: string): LambdaReport | undefined {
  const lines = logTail.split(/\r?\n/).filter(l => l.startsWith('REPORT '))
  const line = lines[lines.length - 1]
  if (line === undefined) return undefined
  const requestId = /RequestId:\s*([^\s]+)/.exec(line)?.[1] ?? ''
  const initDurationMs = field(line, 'Init Duration')
  return {
    requestId,
    durationMs: field(line, '(?<![A-Za-z] )Duration') ?? 0,
    billedDurationMs: field(line, 'Billed Duration') ?? 0,
    memorySizeMb: field(line, 'Memory Size') ?? 0,
    maxMemoryUsedMb: field(line, 'Max Memory Used') ?? 0,
    ...(initDurationMs !== undefined ? { initDurationMs } : {}),
    coldStart: initDurationMs !== undefined
  }
}

/** X-Amz-Log-Result (base64) → text; '' when absent. */
export function decodeLogResult (logResult: string | undefined): string {
  return logResult === undefined ? '' : Buffer.from(logResult, 'base64').toString('utf8')
}
