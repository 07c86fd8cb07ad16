// Lambda's managed Node.js runtimes and their deprecation schedule (AWS Lambda Developer Guide,
// "Lambda runtimes", checked 2026-12). After `deprecation` Lambda stops patching the runtime; from
// `blockCreate` a new function — so a new stack — can no longer use it; from `blockUpdate` an
// existing one cannot be updated either. The local runtime refuses what a new stack could not
// create, so a template that would fail to deploy fails here first. Update the table when AWS
// publishes new dates (or a new runtime): dates are UTC days, the block applies from that day on.
export interface NodeRuntimeDates {
  deprecation: string
  blockCreate: string
  blockUpdate: string
}

export const LAMBDA_NODE_RUNTIMES: Readonly<Record<string, NodeRuntimeDates>> = Object.freeze({
  'nodejs18.x': { deprecation: '2025-09-01', blockCreate: '2026-02-03', blockUpdate: '2026-03-09' },
  'nodejs20.x': { deprecation: '2026-04-30', blockCreate: '2026-08-31', blockUpdate: '2026-09-30' },
  'nodejs22.x': { deprecation: '2027-04-30', blockCreate: '2027-06-01', blockUpdate: '2027-07-01' },
  'nodejs24.x': { deprecation: '2028-04-30', blockCreate: '2028-06-01', blockUpdate: '2028-07-01' }
})

export class RuntimeNotAcceptedError extends Error {
  readonly code = 'LAMBDA_RUNTIME_ERR_RUNTIME'
  constructor (message: string, readonly runtime: string) {
    super(message)
  }
}

/** 'deprecated': still accepted for new functions, but no longer patched (worth a warning). */
export type NodeRuntimeStatus = 'supported' | 'deprecated'

const day = (iso: string): number => Date.parse(`${iso}T00:00:00Z`)

/**
 * Whether Lambda accepts `runtime` for a new function at `now`; throws RuntimeNotAcceptedError
 * (naming `where`, e.g. `UsersFunction.Runtime`) for an unknown or blocked runtime.
 */
export function checkNodeRuntime (runtime: string, now: Date, where: string): NodeRuntimeStatus {
  const dates = Object.hasOwn(LAMBDA_NODE_RUNTIMES, runtime) ? LAMBDA_NODE_RUNTIMES[runtime] : undefined
  if (dates === undefined) {
    throw new RuntimeNotAcceptedError(`${where}: "${runtime}" is not a Lambda Node.js runtime this runtime knows (${Object.keys(LAMBDA_NODE_RUNTIMES).join(', ')})`, runtime)
  }
  const t = now.getTime()
  if (t >= day(dates.blockCreate)) {
    const newest = Object.keys(LAMBDA_NODE_RUNTIMES).at(-1)
    throw new RuntimeNotAcceptedError(`${where}: Lambda no longer accepts ${runtime} (deprecated ${dates.deprecation}, creating functions blocked from ${dates.blockCreate}, updating from ${dates.blockUpdate}); use ${newest}`, runtime)
  }
  return t >= day(dates.deprecation) ? 'deprecated' : 'supported'
}
