// Entry point for the stack launcher and tests: start the runtime in this process.
export { startLambdaRuntime } from './runtime.js'
export type { LambdaRuntime, LambdaRuntimeOptions } from './runtime.js'
