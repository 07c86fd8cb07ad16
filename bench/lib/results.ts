// bench/results/<scenario>.json: raw figures plus where, when and how they were measured.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { machineInfo } from './machine.js'
import type { MachineInfo } from './machine.js'
import type { ScenarioContext } from './context.js'

export interface ResultFile<T> {
  scenario: string
  date: string
  scale: number
  rounds: number
  machine: MachineInfo
  node: string
  /** How the load was pinned (taskset) — or why not. */
  pinning: string
  data: T
}

export function resultFile<T> (scenario: string, data: T, meta: { scale: number, rounds: number, pinning: string }, now = new Date()): ResultFile<T> {
  return { scenario, date: now.toISOString(), scale: meta.scale, rounds: meta.rounds, machine: machineInfo(), node: process.version, pinning: meta.pinning, data }
}

export function writeResult (dir: string, file: ResultFile<unknown>): string {
  mkdirSync(dir, { recursive: true })
  const path = join(dir, `${file.scenario}.json`)
  writeFileSync(path, JSON.stringify(file, null, 2) + '\n')
  return path
}

export function writeText (dir: string, name: string, text: string): string {
  mkdirSync(dir, { recursive: true })
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

/** The run metadata every result file carries. */
export function metaOf (ctx: Pick<ScenarioContext, 'scale' | 'rounds' | 'pinning'>): { scale: number, rounds: number, pinning: string } {
  return { scale: ctx.scale, rounds: ctx.rounds, pinning: ctx.pinning.description }
}
