// Targets by name: the catch-all handler, the protection planner and the shadow sides each
// make one lookup here instead of comparing against 'legacy' / 'lambda'.
import { configInvalid } from '../config/config-problem.js'
import type { RouteConfig } from '../config/schema.js'
import type { Target } from './target.port.js'

export class TargetRegistry {
  readonly #byName = new Map<string, Target>()

  constructor (targets: Iterable<Target>) {
    for (const target of targets) {
      if (this.#byName.has(target.name)) throw new TypeError(`target registry: two targets named '${target.name}'`)
      this.#byName.set(target.name, target)
    }
  }

  /** The target of that name; a name no route can reach is a programmer error. */
  get (name: string): Target {
    const target = this.#byName.get(name)
    if (target === undefined) throw new TypeError(`target registry: no target named '${name}'`)
    return target
  }

  has (name: string): boolean {
    return this.#byName.has(name)
  }

  names (): string[] {
    return [...this.#byName.keys()]
  }

  /** Refuses a config whose routes name a target nobody registered (start-up and reload). */
  checkRoutes (routes: readonly RouteConfig[]): void {
    const problems = routes.flatMap((r, i) => this.has(r.target)
      ? []
      : [{ path: `routes[${i}].target`, message: `no target named '${r.target}' (known: ${this.names().join(', ')})` }])
    if (problems.length > 0) throw configInvalid(problems, ['the config'])
  }
}
