/**
 * Plain-text tables for a terminal: columns aligned with two spaces between them, an optional header
 * row, no borders, so that output stays readable when piped into `less` or pasted into a ticket.
 */

/** One table: header cells and rows of cells (all strings; format numbers before). */
export interface Table {
  readonly header?: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** Renders `table` with each column padded to its widest cell; the last column is never padded. */
export function renderTable(table: Table, indent = ''): string {
  const all = table.header === undefined ? table.rows : [table.header, ...table.rows];
  const columns = Math.max(0, ...all.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_, i) => Math.max(0, ...all.map((row) => width(row[i] ?? ''))));
  return all
    .map(
      (row) =>
        indent +
        row
          .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - width(cell))))
          .join('  ')
          .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join('');
}

/** Displayed width of a cell (code points; the CLI prints no wide characters of its own). */
function width(text: string): number {
  return [...text].length;
}
