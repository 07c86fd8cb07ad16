// Legacy record (PascalCase, as seeded) → the new API's user (camelCase). Differences besides
// casing (lambdas/README.md, "Deliberate differences"): `fullName` is added, and `hiredOn` is an
// ISO 8601 date-time at midnight UTC where legacy sends `yyyy-MM-dd` — the shape a JavaScript
// Date serialises to, kept as the real difference the gateway's shadow comparison finds.
import type { SeedUser } from '../shared/seed.js'

export interface UserDto {
  id: number
  userName: string
  firstName: string
  lastName: string
  fullName: string
  email: string
  department: string
  isActive: boolean
  hiredOn: string
}

export function toUserDto (u: SeedUser): UserDto {
  return {
    id: u.Id,
    userName: u.UserName,
    firstName: u.FirstName,
    lastName: u.LastName,
    fullName: `${u.FirstName} ${u.LastName}`,
    email: u.Email,
    department: u.Department,
    isActive: u.IsActive,
    hiredOn: isoDateTime(u.HiredOn)
  }
}

/** `yyyy-MM-dd` → `yyyy-MM-ddT00:00:00.000Z`; anything else is passed through unchanged. */
export function isoDateTime (date: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) ? new Date(`${date}T00:00:00Z`).toISOString() : date
}
