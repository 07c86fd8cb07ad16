// A project's budget with what is left of it. Pure. Money is computed in cents so that
// 0.1 + 0.2 style binary noise never shows up in `remaining`; overspending gives a negative value.
import type { SeedBudget } from '../shared/seed.js'

export interface BudgetView {
  budget: SeedBudget
  remaining: number
}

export function remainingOf (total: number, spent: number): number {
  return (Math.round(total * 100) - Math.round(spent * 100)) / 100
}

export function getBudget (budgets: readonly SeedBudget[], projectId: number): BudgetView | undefined {
  const budget = budgets.find(b => b.ProjectId === projectId)
  return budget === undefined ? undefined : { budget, remaining: remainingOf(budget.Total, budget.Spent) }
}
