// All users, ordered by id (the legacy's order), as the domain sees them. Pure.
import type { SeedUser } from '../shared/seed.js'

export function listUsers (users: readonly SeedUser[]): SeedUser[] {
  return [...users].sort((a, b) => a.Id - b.Id)
}
