// Plain-text tables for gatewayctl's human output: left-aligned columns, two spaces apart,
// numbers right-aligned, no colours (output is often piped or pasted into tickets).

export interface Column {
  header: string
  align?: 'left' | 'right'
}

export function formatTable (columns: Column[], rows: string[][]): string {
  const widths = columns.map((c, i) => Math.max(c.header.length, ...rows.map(r => (r[i] ?? '').length)))
  const line = (cells: string[]): string => cells
    .map((cell, i) => columns[i]?.align === 'right' ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))
    .join('  ')
    .trimEnd()
  return [line(columns.map(c => c.header)), ...rows.map(line)].join('\n') + '\n'
}

export function percent (ratio: number | null | undefined): string {
  return ratio === null || ratio === undefined ? '-' : `${(ratio * 100).toFixed(1)}%`
}

export function ms (value: number | null | undefined): string {
  return value === null || value === undefined ? '-' : `${Math.round(value)}ms`
}
