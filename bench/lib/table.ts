// Pure: a plain-text table (also valid Markdown) from rows of cells.

export type Cell = string | number | null | undefined

export function formatCell (value: Cell, digits = 1): string {
  if (value === null || value === undefined) return '–'
  if (typeof value === 'string') return value
  if (!Number.isFinite(value)) return '–'
  if (Number.isInteger(value)) return String(value)
  return value.toFixed(digits)
}

/** A Markdown table: header row, separator, then the rows; columns padded to align. */
export function markdownTable (header: readonly string[], rows: ReadonlyArray<readonly Cell[]>): string {
  const cells = rows.map(r => header.map((_, i) => formatCell(r[i], Math.abs(Number(r[i])) < 10 ? 2 : 1)))
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map(r => (r[i] as string).length)))
  const line = (cols: readonly string[]): string => '| ' + cols.map((c, i) => c.padEnd(widths[i] as number)).join(' | ') + ' |'
  return [line(header), '|' + widths.map(w => '-'.repeat(w + 2)).join('|') + '|', ...cells.map(line)].join('\n')
}
