// Creating a project with the legacy's business rules: owner and members must exist, the code
// is unique (case-insensitively), defaults for status/start date. Pure: the caller passes `today`
// and gets a result to map, never an exception for a rule violation.
import type { SeedProject } from '../shared/seed.js'
import type { ProjectStore } from './project-store.js'

export interface NewProjectInput {
  name: string
  code: string
  ownerId: number
  status?: string
  startDate?: string
  memberIds?: number[]
  budgetTotal?: number
  currency?: string
}

export type CreateProjectResult =
  | { ok: true, project: SeedProject }
  | { ok: false, reason: 'unknown-users', fields: Array<{ field: 'ownerId' | 'memberIds', message: string }> }
  | { ok: false, reason: 'code-taken', code: string }

export function createProject (store: ProjectStore, input: NewProjectInput, today: string): CreateProjectResult {
  const memberIds = [...new Set(input.memberIds ?? [])]
  const fields: Array<{ field: 'ownerId' | 'memberIds', message: string }> = []
  if (!store.hasUser(input.ownerId)) fields.push({ field: 'ownerId', message: `User ${input.ownerId} does not exist` })
  for (const id of memberIds.filter(m => !store.hasUser(m))) fields.push({ field: 'memberIds', message: `User ${id} does not exist` })
  if (fields.length > 0) return { ok: false, reason: 'unknown-users', fields }
  if (store.codeTaken(input.code)) return { ok: false, reason: 'code-taken', code: input.code }

  const project = store.insert({
    Name: input.name,
    Code: input.code,
    OwnerId: input.ownerId,
    Status: input.status ?? 'Planned',
    StartDate: input.startDate ?? today,
    MemberIds: memberIds
  })
  return { ok: true, project }
}
