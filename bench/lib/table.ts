/** Prints rows as an aligned text table: numbers right-aligned, text left-aligned. */

export type Cell = string | number | boolean | null | undefined;

const show = (v: Cell): string => (v === null || v === undefined ? '—' : String(v));

export function formatTable(columns: readonly string[], rows: ReadonlyArray<Record<string, Cell>>): string {
  const cells = rows.map((r) => columns.map((c) => show(r[c])));
  const numeric = columns.map((c) => rows.length > 0 && rows.every((r) => typeof r[c] === 'number' || r[c] == null));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  const line = (values: readonly string[]) =>
    values.map((v, i) => (numeric[i] ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(columns), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

export function printTable(columns: readonly string[], rows: ReadonlyArray<Record<string, Cell>>): void {
  console.log(formatTable(columns, rows));
}
