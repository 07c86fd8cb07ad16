// Pure: a V8 .cpuprofile → where the CPU went. Self time per function and per area (our
// files by folder, node_modules by package, node internals), and inclusive time per function
// (recursion counted once), as shares of all samples.

interface CallFrame { functionName: string, url: string, lineNumber: number }
interface ProfileNode { id: number, callFrame: CallFrame, hitCount?: number, children?: number[] }
export interface CpuProfile { nodes: ProfileNode[], samples?: number[], startTime: number, endTime: number }

export interface HotSpot { key: string, share: number }

export interface ProfileSummary {
  /** Busy samples (idle excluded); shares below are of these. */
  samples: number
  /** Functions by self time. */
  self: HotSpot[]
  /** Functions by inclusive time (themselves + callees). */
  inclusive: HotSpot[]
  /** Areas by self time: gateway/src/<dir>, node_modules/<pkg>, node:internal, (idle), (gc)… */
  areas: HotSpot[]
}

export function areaOf (url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)'
  const nm = url.lastIndexOf('node_modules/')
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/')
    return 'node_modules/' + (rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1] ?? ''}` : rest[0] ?? '')
  }
  if (url.startsWith('node:')) return 'node:internal'
  const m = /\/(gateway\/src\/[^/]+|legacy-stub\/src|bench\/lib|lambdas\/[^/]+)\//.exec(url)
  if (m) return m[1] as string
  const file = /\/(gateway\/src\/[^/]+\.js)$/.exec(url)
  return file ? file[1] as string : url
}

export function frameKey (f: CallFrame): string {
  const file = f.url.replace(/^file:\/\//, '').replace(/^.*\/(dist\/|node_modules\/)/, '$1')
  return `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`
}

function top (map: Map<string, number>, total: number, n: number): HotSpot[] {
  return [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([key, hits]) => ({ key, share: Math.round((hits / Math.max(1, total)) * 1000) / 10 }))
}

export function summarizeProfile (profile: CpuProfile, n = 20): ProfileSummary {
  const byId = new Map(profile.nodes.map(node => [node.id, node]))
  // Shares are of busy samples: idle time is not CPU the gateway spends.
  const total = profile.nodes.reduce((s, node) => s + (node.callFrame.functionName === '(idle)' ? 0 : node.hitCount ?? 0), 0)
  const self = new Map<string, number>()
  const areas = new Map<string, number>()
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0
    if (hits === 0 || node.callFrame.functionName === '(idle)') continue
    const key = frameKey(node.callFrame)
    self.set(key, (self.get(key) ?? 0) + hits)
    const area = areaOf(node.callFrame.url, node.callFrame.functionName)
    areas.set(area, (areas.get(area) ?? 0) + hits)
  }
  // Inclusive: subtree hits, each key counted once per stack (recursion).
  const inclusive = new Map<string, number>()
  const childIds = new Set(profile.nodes.flatMap(node => node.children ?? []))
  const subtree = new Map<number, number>()
  const sumSubtree = (id: number): number => {
    const node = byId.get(id)
    if (!node) return 0
    let s = node.hitCount ?? 0
    for (const c of node.children ?? []) s += sumSubtree(c)
    subtree.set(id, s)
    return s
  }
  const roots = profile.nodes.filter(node => !childIds.has(node.id))
  for (const r of roots) sumSubtree(r.id)
  const walk = (id: number, onStack: Set<string>): void => {
    const node = byId.get(id)
    if (!node) return
    const key = frameKey(node.callFrame)
    const fresh = !onStack.has(key)
    if (fresh) { inclusive.set(key, (inclusive.get(key) ?? 0) + (subtree.get(id) ?? 0)); onStack.add(key) }
    for (const c of node.children ?? []) walk(c, onStack)
    if (fresh) onStack.delete(key)
  }
  for (const r of roots) walk(r.id, new Set())
  for (const k of ['(root) :0', '(program) :0', '(idle) :0']) inclusive.delete(k)
  return { samples: total, self: top(self, total, n), inclusive: top(inclusive, total, n * 2), areas: top(areas, total, n) }
}
