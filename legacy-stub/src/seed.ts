// The seed fixture shared with the Lambdas (legacy-stub/data/seed.json), so both sides answer
// the same question with the same facts. Found next to the sources (tsx, tests) or from the
// compiled tree (dist/legacy-stub/src -> legacy-stub/data).
import { readFileSync, existsSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { SeedReadError } from './errors.js'

export interface User {
  Id: number
  UserName: string
  FirstName: string
  LastName: string
  Email: string
  Department: string
  IsActive: boolean
  HiredOn: string
}

export type ProjectStatus = 'Planned' | 'Active' | 'OnHold' | 'Closed'

export interface Project {
  Id: number
  Name: string
  Code: string
  OwnerId: number
  Status: ProjectStatus
  StartDate: string
  MemberIds: number[]
}

export interface Budget {
  ProjectId: number
  Currency: string
  Total: number
  Spent: number
  FiscalYear: number
}

export interface SeedData {
  Users: User[]
  Projects: Project[]
  Budgets: Budget[]
}

const here = dirname(fileURLToPath(import.meta.url))

/** Candidate locations of seed.json, source tree first. */
export function seedCandidates (): string[] {
  return [resolve(here, '../data/seed.json'), resolve(here, '../../../legacy-stub/data/seed.json')]
}

export function loadSeed (file?: string): SeedData {
  const path = file ?? seedCandidates().find(existsSync)
  if (path === undefined) throw new SeedReadError(seedCandidates().join(' or '), 'not found')
  let data: unknown
  try {
    data = JSON.parse(readFileSync(path, 'utf8'))
  } catch (err) {
    throw new SeedReadError(path, (err as Error).message, { cause: err })
  }
  const seed = data as Partial<SeedData>
  if (!Array.isArray(seed.Users) || !Array.isArray(seed.Projects) || !Array.isArray(seed.Budgets)) {
    throw new SeedReadError(path, 'expected arrays Users, Projects and Budgets')
  }
  return seed as SeedData
}
