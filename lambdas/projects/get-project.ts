// One project by id, or undefined. Pure.
import type { SeedProject } from '../shared/seed.js'
import type { ProjectStore } from './project-store.js'

export function getProject (store: ProjectStore, id: number): SeedProject | undefined {
  return store.byId(id)
}
