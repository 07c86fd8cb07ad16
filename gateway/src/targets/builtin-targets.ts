// The targets every gateway has. A new kind joins here (one file behind target.port.ts plus its
// route schema fragment); a test registers a throwaway one through BuildDeps.targets.
import { lambdaTarget } from './lambda-target.js'
import { legacyTarget } from './legacy-proxy.js'
import type { Target } from './target.port.js'

export const BUILTIN_TARGETS: readonly Target[] = [legacyTarget, lambdaTarget]
