// The invocation log Lambda returns with `X-Amz-Log-Type: Tail`: START, the function's lines,
// END and REPORT (with Init Duration on a cold start only), of which the last 4 KB, base64.
export interface ReportFigures {
  requestId: string
  durationMs: number
  memorySizeMb: number
  maxMemoryUsedMb: number
  initDurationMs?: number | undefined
}

const TAIL_BYTES = 4096

export function reportLine (r: ReportFigures): string {
  let line = `REPORT RequestId: ${r.requestId}\tDuration: ${r.durationMs.toFixed(2)} ms\t` +
    `Billed Duration: ${Math.max(1, Math.ceil(r.durationMs))} ms\tMemory Size: ${r.memorySizeMb} MB\t` +
    `Max Memory Used: ${Math.min(r.maxMemoryUsedMb, r.memorySizeMb)} MB\t`
  if (r.initDurationMs !== undefined) line += `Init Duration: ${r.initDurationMs.toFixed(2)} ms\t`
  return line
}

export function invocationLog (r: ReportFigures, functionLines: readonly string[]): string {
  return [
    `START RequestId: ${r.requestId} Version: $LATEST`,
    ...functionLines,
    `END RequestId: ${r.requestId}`,
    reportLine(r)
  ].join('\n') + '\n'
}

/** Base64 of the last 4 KB of the log, as the X-Amz-Log-Result header carries it. */
export function logTailHeader (log: string): string {
  const bytes = Buffer.from(log, 'utf8')
  return bytes.subarray(Math.max(0, bytes.length - TAIL_BYTES)).toString('base64')
}
