// FunctionName as the Invoke API accepts it: a name, `name:qualifier`, a partial ARN
// (`123456789012:function:name`) or a full ARN, plus an optional Qualifier query parameter.
export type FunctionRef = { ok: true, name: string, qualifier?: string | undefined } | { ok: false, message: string }

const NAME = /^[a-zA-Z0-9-_]{1,140}$/

export function parseFunctionRef (raw: string, queryQualifier: string | null): FunctionRef {
  let rest = raw
  const fnAt = rest.indexOf('function:')
  if (rest.startsWith('arn:') || fnAt > 0) {
    if (fnAt < 0) return { ok: false, message: `Invalid function ARN: ${raw}` }
    rest = rest.slice(fnAt + 'function:'.length)
  }
  const [name = '', inlineQualifier, extra] = rest.split(':')
  if (extra !== undefined || !NAME.test(name)) return { ok: false, message: `1 validation error detected: Value '${raw}' at 'functionName' failed to satisfy constraint` }
  const qualifier = queryQualifier ?? inlineQualifier
  if (queryQualifier !== null && inlineQualifier !== undefined && queryQualifier !== inlineQualifier) {
    return { ok: false, message: 'The derived qualifier from the function name does not match the specified qualifier.' }
  }
  return { ok: true, name, qualifier: qualifier === '' ? undefined : qualifier }
}
