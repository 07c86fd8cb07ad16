// The environment of a whole local stack (scripts/start-stack.ts) on ephemeral ports, for the
// e2e and browser tests: only PATH from the test's own environment, plus what the caller adds.
export function ephemeralStackEnv (extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    LEGACY_STUB_PORT: '0',
    LAMBDA_RUNTIME_PORT: '0',
    PORT: '0',
    ADMIN_PORT: '0',
    ...extra
  }
}
