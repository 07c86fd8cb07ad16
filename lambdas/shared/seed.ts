// The seed fixture the legacy stub serves too (legacy-stub/data/seed.json, PascalCase, owned by
// the stub). Imported, not read from disk, so esbuild puts it inside each bundle.
import seedJson from '../../legacy-stub/data/seed.json' with { type: 'json' }

export interface SeedUser {
  Id: number
  UserName: string
  FirstName: string
  LastName: string
  Email: string
  Department: string
  IsActive: boolean
  HiredOn: string
}

export interface SeedProject {
  Id: number
  Name: string
  Code: string
  OwnerId: number
  Status: string
  StartDate: string
  MemberIds: number[]
}

export interface SeedBudget {
  ProjectId: number
  Currency: string
  Total: number
  Spent: number
  FiscalYear: number
}

export interface SeedData {
  Users: SeedUser[]
  Projects: SeedProject[]
  Budgets: SeedBudget[]
}

export const seed: SeedData = seedJson
