// Budget domain: remaining = total − spent, computed in cents; mapping to camelCase.
import t from 'tap'
import { getBudget, remainingOf } from '../../lambdas/budget/get-budget.js'
import { toBudgetDto } from '../../lambdas/budget/map-budget.js'

t.test('remainingOf subtracts in cents (no binary noise) and may go negative', async t => {
  t.equal(remainingOf(100000, 25000), 75000)
  t.equal(remainingOf(0.3, 0.1), 0.2)
  t.equal(remainingOf(1000.1, 1000.2), -0.1)
})

t.test('getBudget finds the project budget and computes remaining; unknown → undefined', async t => {
  const budgets = [{ ProjectId: 7, Currency: 'EUR', Total: 500.5, Spent: 100.25, FiscalYear: 2026 }]
  const view = getBudget(budgets, 7)
  t.ok(view)
  t.strictSame(toBudgetDto(view!), { projectId: 7, currency: 'EUR', total: 500.5, spent: 100.25, remaining: 400.25, fiscalYear: 2026 })
  t.equal(getBudget(budgets, 8), undefined)
})
