// One user by id, or undefined. Pure.
import type { SeedUser } from '../shared/seed.js'

export function getUser (users: readonly SeedUser[], id: number): SeedUser | undefined {
  return users.find(u => u.Id === id)
}
