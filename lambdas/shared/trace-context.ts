// The trace a function invocation belongs to, continued on the function's own outgoing calls.
// Two sources, in order: the W3C `traceparent` the gateway puts in the event's headers (always,
// when the gateway traces or a client sent one), then `_X_AMZN_TRACE_ID`, which Lambda sets per
// invocation from the X-Ray trace header (the local runtime does the same, lambdas/runtime). The
// functions record no spans of their own, so they pass the context on unchanged, as the W3C spec
// lets a hop that does not participate: the next hop's spans hang off the gateway's invoke span.
// Read per invocation, not at module scope: `_X_AMZN_TRACE_ID` changes with every invocation.

export interface FunctionTrace {
  /** 32 lower-case hex digits (an X-Ray root without its `1-` and dashes). */
  traceId: string
  /** The caller's span id, 16 hex digits. */
  parentId: string
  sampled: boolean
  /** W3C tracestate as received (only with a traceparent). */
  tracestate?: string
}

const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/
const XRAY_ROOT = /^1-([0-9a-f]{8})-([0-9a-f]{24})$/
const HEX16 = /^[0-9a-f]{16}$/
const ZEROS = /^0+$/

function fromTraceparent (value: string, tracestate: string | undefined): FunctionTrace | undefined {
  const m = TRACEPARENT.exec(value.trim())
  if (m === null || value.startsWith('ff') || (value.startsWith('00') && m[4] !== undefined)) return undefined
  const [, traceId, parentId, flags] = m as unknown as [string, string, string, string]
  if (ZEROS.test(traceId) || ZEROS.test(parentId)) return undefined
  return { traceId, parentId, sampled: (parseInt(flags, 16) & 1) === 1, ...(tracestate ? { tracestate } : {}) }
}

/** `Root=1-…;Parent=…;Sampled=…` → the trace; undefined without a Root and a Parent. */
export function fromXrayHeader (value: string): FunctionTrace | undefined {
  const fields = new Map<string, string>()
  for (const part of value.split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim())
  }
  const root = XRAY_ROOT.exec(fields.get('Root') ?? '')
  const parentId = fields.get('Parent') ?? ''
  if (root === null || !HEX16.test(parentId) || ZEROS.test(parentId)) return undefined
  return { traceId: root[1]! + root[2]!, parentId, sampled: fields.get('Sampled') === '1' }
}

/** The invocation's trace: the event's traceparent, else `_X_AMZN_TRACE_ID`, else none. */
export function traceOf (headers: Record<string, string> | undefined, env: Record<string, string | undefined>): FunctionTrace | undefined {
  const traceparent = headers?.traceparent
  const w3c = traceparent === undefined ? undefined : fromTraceparent(traceparent, headers?.tracestate)
  if (w3c !== undefined) return w3c
  const xray = env._X_AMZN_TRACE_ID
  return xray === undefined ? undefined : fromXrayHeader(xray)
}

/** Headers that carry the trace on an outgoing HTTP call (none without a trace). */
export function traceHeaders (trace: FunctionTrace | undefined): Record<string, string> {
  if (trace === undefined) return {}
  const headers: Record<string, string> = { traceparent: `00-${trace.traceId}-${trace.parentId}-${trace.sampled ? '01' : '00'}` }
  if (trace.tracestate !== undefined) headers.tracestate = trace.tracestate
  return headers
}
