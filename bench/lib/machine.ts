// Where the figures were measured: they mean little without the machine.
import { cpus, totalmem, loadavg, platform, release } from 'node:os'

export interface MachineInfo {
  cpus: number
  model: string
  memoryGiB: number
  platform: string
  release: string
  node: string
  /** 1-minute load average at the start (other work on the machine skews the figures). */
  loadAvg1: number
}

export function machineInfo (): MachineInfo {
  const list = cpus()
  return {
    cpus: list.length,
    model: list[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    platform: platform(),
    release: release(),
    node: process.version,
    loadAvg1: Math.round((loadavg()[0] ?? 0) * 100) / 100
  }
}
