// Legacy record (PascalCase, as seeded) → the new API's user (camelCase). The only deliberate
// difference besides casing is `fullName` (see lambdas/README.md).
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
    hiredOn: u.HiredOn
  }
}
