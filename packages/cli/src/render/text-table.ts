/** Left-aligned text columns, each as wide as its widest cell. */

/** Renders rows (the first is usually the header) with two spaces between columns. */
export function textTable(rows: readonly (readonly string[])[], indent = ''): string {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows
    .map(
      (row) =>
        `${indent}${row
          .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
          .join('  ')}`.trimEnd() + '\n',
    )
    .join('');
}
