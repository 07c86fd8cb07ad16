// Pure: CPU cost per request by area and by function for two profiled contenders, and the
// difference — what the gateway spends per request beyond bare @fastify/http-proxy.
import type { CpuProfile } from './cpu-profile.js'
import { areaOf, frameKey } from './cpu-profile.js'

export interface CostTable {
  /** Busy CPU µs per request in the profiled window. */
  totalUs: number
  areas: Map<string, number>
  functions: Map<string, number>
}

/** µs per request of busy CPU, by area and by function (self time). */
export function costPerRequest (profile: CpuProfile, requests: number): CostTable {
  const samples = profile.samples?.length ?? profile.nodes.reduce((s, n) => s + (n.hitCount ?? 0), 0)
  const usPerSample = samples > 0 ? (profile.endTime - profile.startTime) / samples : 0
  const areas = new Map<string, number>()
  const functions = new Map<string, number>()
  let busy = 0
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0
    if (hits === 0 || node.callFrame.functionName === '(idle)') continue
    const us = (hits * usPerSample) / Math.max(1, requests)
    busy += us
    const area = areaOf(node.callFrame.url, node.callFrame.functionName)
    areas.set(area, (areas.get(area) ?? 0) + us)
    const key = frameKey(node.callFrame)
    functions.set(key, (functions.get(key) ?? 0) + us)
  }
  return { totalUs: busy, areas, functions }
}

export interface CostDelta { key: string, baseUs: number, otherUs: number, deltaUs: number, shareOfOther: number }

/** Rows sorted by how much more `other` spends than `base`, top n. */
export function costDelta (base: Map<string, number>, other: Map<string, number>, otherTotalUs: number, n = 25): CostDelta[] {
  const keys = new Set([...base.keys(), ...other.keys()])
  const rows = [...keys].map(key => {
    const b = base.get(key) ?? 0
    const o = other.get(key) ?? 0
    return { key, baseUs: round(b), otherUs: round(o), deltaUs: round(o - b), shareOfOther: round((o / Math.max(1e-9, otherTotalUs)) * 100) }
  })
  return rows.sort((a, b) => b.deltaUs - a.deltaUs).slice(0, n)
}

function round (n: number): number {
  return Math.round(n * 10) / 10
}

/** Per-key medians of several rounds' tables (a key missing from a round counts as 0 there). */
export function medianCost (tables: readonly CostTable[]): CostTable {
  const med = (values: number[]): number => {
    const s = [...values].sort((a, b) => a - b)
    const mid = Math.floor(s.length / 2)
    return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
  }
  const merge = (pick: (t: CostTable) => Map<string, number>): Map<string, number> => {
    const keys = new Set(tables.flatMap(t => [...pick(t).keys()]))
    return new Map([...keys].map(k => [k, med(tables.map(t => pick(t).get(k) ?? 0))]))
  }
  return { totalUs: med(tables.map(t => t.totalUs)), areas: merge(t => t.areas), functions: merge(t => t.functions) }
}
