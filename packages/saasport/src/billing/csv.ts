/** One column of a CSV export: its header and how to read its cell from a row. */
export interface CsvColumn<Row> {
  header: string;
  value(row: Row): string | number | bigint | boolean | null | undefined;
}

export const csvContentType = "text/csv; charset=utf-8";

const plainNumber = /^-?\d+(\.\d+)?$/;
/** Text a spreadsheet would run as a formula when the file is opened. */
const formulaStart = /^[=+\-@\t\r]/;

/**
 * A cell as RFC 4180 writes it: quoted (with doubled quotes) when it holds a quote, a comma or a line
 * break. Text that a spreadsheet would take for a formula (a plan name such as `=HYPERLINK(…)`) is
 * prefixed with an apostrophe; numbers, negative amounts included, stay numbers.
 */
export function csvCell(value: string | number | bigint | boolean | null | undefined): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (typeof value === "string" && formulaStart.test(text) && !plainNumber.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * RFC 4180 text: a header row, then one record per row, every record ended by CRLF. Empty cells stand
 * for null.
 */
export function toCsv<Row>(columns: readonly CsvColumn<Row>[], rows: Iterable<Row>): string {
  const records = [columns.map((column) => csvCell(column.header)).join(",")];
  for (const row of rows) records.push(columns.map((column) => csvCell(column.value(row))).join(","));
  return `${records.join("\r\n")}\r\n`;
}

/** `attachment; filename="…"`, with the name reduced to characters every client accepts unquoted. */
export function attachment(filename: string): string {
  return `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, "_")}"`;
}
