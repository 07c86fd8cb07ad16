// Legacy project record (PascalCase) ↔ the new API's project (camelCase). Same fields, same
// values; only the casing differs (see lambdas/README.md).
import type { SeedProject } from '../shared/seed.js'

export interface ProjectDto {
  id: number
  name: string
  code: string
  ownerId: number
  status: string
  startDate: string
  memberIds: number[]
}

export function toProjectDto (p: SeedProject): ProjectDto {
  return {
    id: p.Id,
    name: p.Name,
    code: p.Code,
    ownerId: p.OwnerId,
    status: p.Status,
    startDate: p.StartDate,
    memberIds: [...p.MemberIds]
  }
}
