/** Rows of cells as aligned text columns (first row = header), one line each. */
export function textTable(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd() + '\n').join('');
}

/** Rows of cells as RFC 4180 CSV (`--output csv`, as m365 prints it): quoted where needed, CRLF-free LF lines. */
export function csvTable(rows: readonly (readonly string[])[]): string {
  const cell = (c: string) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
  return rows.map((r) => r.map(cell).join(',') + '\n').join('');
}
