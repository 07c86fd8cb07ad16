// The X-Ray trace header of one invocation, as Lambda handles it: the Invoke request's
// `X-Amzn-Trace-Id` is passed on to the function (on AWS as the Runtime API's
// `Lambda-Runtime-Trace-Id` next-invocation header, which the Node runtime puts in
// `_X_AMZN_TRACE_ID`); without a usable one Lambda starts a trace itself, sampled when the
// function has active tracing (`Tracing: Active`; X-Ray's sampling rules are not modelled).
import { randomBytes } from 'node:crypto'

export type TracingMode = 'Active' | 'PassThrough'

const ROOT = /(?:^|;)\s*Root=1-[0-9a-f]{8}-[0-9a-f]{24}\s*(?:;|$)/

/** The header the invocation runs with: the caller's when it names a Root, else a new trace. */
export function invocationTraceHeader (incoming: string | string[] | undefined, mode: TracingMode, nowMs: number = Date.now()): string {
  const value = Array.isArray(incoming) ? incoming[0] : incoming
  if (value !== undefined && value.length <= 512 && ROOT.test(value)) return value.trim()
  const seconds = Math.floor(nowMs / 1000).toString(16).padStart(8, '0')
  return `Root=1-${seconds}-${randomBytes(12).toString('hex')};Parent=${randomBytes(8).toString('hex')};Sampled=${mode === 'Active' ? 1 : 0}`
}
