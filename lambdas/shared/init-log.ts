// One log line per execution environment, at module init (a cold start): which function, which
// stage. STAGE is the only env every function reads; the rest is per function.
import { envOneOf } from './env.js'

export const STAGES = ['DEV', 'PROD'] as const
export type Stage = typeof STAGES[number]

export function initFunction (name: string, env: Record<string, string | undefined>): Stage {
  const stage = envOneOf(env, 'STAGE', STAGES, 'DEV')
  console.log(JSON.stringify({ level: 'info', msg: 'init', function: name, stage }))
  return stage
}
