// CPU time of a contender's process tree, read from /proc (Linux): utime + stime of the process
// and of every live descendant (nginx's worker is a child of its master). Sampled before and
// after a measured round, the difference ÷ the requests answered in it is `cpu µs/req` — a figure
// that moves far less with the machine's load than req/s does. Off Linux it reads as unknown.
import { execFileSync } from 'node:child_process'
import { readFileSync, readdirSync } from 'node:fs'

/** utime and stime (clock ticks) from the text of /proc/<pid>/stat. */
export function parseProcStat (text: string): { utimeTicks: number, stimeTicks: number } | undefined {
  // The command name (field 2) is in parentheses and may itself hold spaces or ')'.
  const close = text.lastIndexOf(')')
  if (close === -1) return undefined
  const rest = text.slice(close + 2).trim().split(/\s+/)
  // rest[0] is field 3 (state): utime is field 14, stime field 15.
  const utimeTicks = Number(rest[11])
  const stimeTicks = Number(rest[12])
  if (!Number.isFinite(utimeTicks) || !Number.isFinite(stimeTicks)) return undefined
  return { utimeTicks, stimeTicks }
}

/** CPU µs per request of one round; NaN when either figure is unknown or nothing was answered. */
export function cpuUsPerRequest (cpuMs: number | undefined, requests: number): number {
  if (cpuMs === undefined || !Number.isFinite(cpuMs) || !(requests > 0)) return Number.NaN
  return Math.round((cpuMs * 1000 / requests) * 10) / 10
}

let ticksPerSecond: number | undefined
function clockTicks (): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
    } catch {
      ticksPerSecond = 100 // the Linux USER_HZ almost everywhere
    }
  }
  return ticksPerSecond
}

function childrenOf (pid: number): number[] {
  const out: number[] = []
  let tasks: string[]
  try {
    tasks = readdirSync(`/proc/${pid}/task`)
  } catch {
    return out
  }
  for (const task of tasks) {
    try {
      for (const c of readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/)) {
        if (c !== '') out.push(Number(c))
      }
    } catch {
      // A thread that ended between readdir and read has no children to count.
    }
  }
  return out
}

/** ms of CPU used so far by `pid` and its live descendants; undefined when /proc cannot tell. */
export function cpuMsOfTree (pid: number | undefined): number | undefined {
  if (pid === undefined || !(pid > 0)) return undefined
  let stat: { utimeTicks: number, stimeTicks: number } | undefined
  try {
    stat = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return undefined
  }
  if (stat === undefined) return undefined
  let ms = (stat.utimeTicks + stat.stimeTicks) * 1000 / clockTicks()
  for (const child of childrenOf(pid)) ms += cpuMsOfTree(child) ?? 0
  return ms
}

/** Runs `round` and returns its result with the CPU ms the process tree spent meanwhile. */
export async function withCpu<T> (pid: number | undefined, round: () => Promise<T>): Promise<{ result: T, cpuMs: number | undefined }> {
  const before = cpuMsOfTree(pid)
  const result = await round()
  const after = cpuMsOfTree(pid)
  return { result, cpuMs: before === undefined || after === undefined ? undefined : after - before }
}
