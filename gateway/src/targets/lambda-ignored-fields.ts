// A function that returns a format 1.0 field (multiValueHeaders) in a 2.0 result does so on every
// call: one warn line per function per process says so, instead of one per request. The headers
// it carried are lost behind API Gateway too, which is what the line is for (docs/lambda-target.md).
const warned = new Set<string>()

interface WarnLog { warn: (obj: Record<string, unknown>, msg: string) => void }

export function warnIgnoredFieldsOnce (log: WarnLog, functionName: string, ignored: readonly string[] | undefined): void {
  if (ignored === undefined || ignored.length === 0 || warned.has(functionName)) return
  warned.add(functionName)
  log.warn({ function: functionName, ignored }, 'lambda result fields ignored (payload format 2.0 has no such field)')
}
