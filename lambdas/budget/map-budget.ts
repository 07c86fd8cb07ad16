// Legacy budget record (PascalCase) → the new API's budget (camelCase) with the computed
// `remaining` the legacy does not have (see lambdas/README.md).
import type { BudgetView } from './get-budget.js'

export interface BudgetDto {
  projectId: number
  currency: string
  total: number
  spent: number
  remaining: number
  fiscalYear: number
}

export function toBudgetDto (b: BudgetView): BudgetDto {
  return {
    projectId: b.budget.ProjectId,
    currency: b.budget.Currency,
    total: b.budget.Total,
    spent: b.budget.Spent,
    remaining: b.remaining,
    fiscalYear: b.budget.FiscalYear
  }
}
