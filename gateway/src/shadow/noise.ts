// Diffy-style noise learning: paths that differ between two legacy answers to the same request
// (timestamps, random ids) are learned per route and ignored from then on. Bounded.
import { diffJson } from './compare/diff.js'

export class NoiseLearner {
  private readonly byRoute = new Map<string, Set<string>>()
  constructor (private readonly maxPathsPerRoute = 50, private readonly maxRoutes = 500) {}

  /** Learns from two parsed legacy bodies; returns the newly learned paths. */
  learn (route: string, first: unknown, second: unknown): string[] {
    let set = this.byRoute.get(route)
    if (set === undefined) {
      if (this.byRoute.size >= this.maxRoutes) return []
      set = new Set()
      this.byRoute.set(route, set)
    }
    const fresh: string[] = []
    for (const d of diffJson(first, second)) {
      // Diff paths use `[n]`; generalise to `[*]` so one noisy item covers all items.
      const p = d.path.replace(/\[\d+\]/g, '[*]')
      if (set.size >= this.maxPathsPerRoute) break
      if (!set.has(p)) { set.add(p); fresh.push(p) }
    }
    return fresh
  }

  /** Ignore paths (JSONPath subset) learned for a route. */
  ignored (route: string): string[] { return [...(this.byRoute.get(route) ?? [])] }
}
