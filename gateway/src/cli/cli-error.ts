// gatewayctl's failures: each maps to a stable exit code so scripts can branch on it.
export const EXIT = {
  ok: 0,
  /** The admin API failed (5xx) or answered something unexpected. */
  failed: 1,
  /** Bad command line: unknown command or flag, missing or malformed argument. */
  usage: 2,
  /** The admin API is unreachable (refused, DNS, reset) or did not answer in time. */
  unreachable: 3,
  /** 401: missing or wrong GATEWAY_ADMIN_TOKEN. */
  unauthorized: 4,
  /** 404: unknown route or breaker. */
  notFound: 5,
  /** 400: the admin API refused a value (the message names the field). */
  invalid: 6,
  /** 412: the route changed between gatewayctl reading it and its PATCH (nothing was changed). */
  stale: 7
} as const

export class CliError extends Error {
  constructor (readonly exitCode: number, message: string) {
    super(message)
  }
}

export function usageError (message: string): CliError {
  return new CliError(EXIT.usage, `${message}\nRun "gatewayctl help" for usage.`)
}
