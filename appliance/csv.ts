import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { AppError } from './errors.js';

/** An import that did not happen, with every problem found, by line. */
export class ImportRejected extends AppError {
  readonly status = 422;
  constructor(readonly problems: { line: number; message: string }[]) {
    super('import.rejected', { problems }, { message: `Nothing was imported: ${problems.length} problem(s) found.` });
  }
}

const MAX_ROWS = 5000;

/**
 * Rows of a CSV file with a header line, keyed by lower-case column name, each with its line number. The
 * columns named in `required` must be present; unknown columns are refused (a typo must not be ignored).
 */
export function readCsv(text: string, columns: { required: string[]; optional: string[] }): { line: number; values: Record<string, string> }[] {
  let records: string[][];
  try {
    records = parse(text.replace(/^\uFEFF/, ''), { relax_column_count: false, skip_empty_lines: true, trim: true }) as string[][];
  } catch (e) {
    throw new ImportRejected([{ line: (e as { lines?: number }).lines ?? 0, message: `not valid CSV: ${(e as Error).message}` }]);
  }
  const [header, ...rows] = records;
  if (!header) throw new ImportRejected([{ line: 1, message: 'the file is empty' }]);
  const names = header.map((h) => h.toLowerCase());
  const problems: { line: number; message: string }[] = [];
  for (const r of columns.required) if (!names.includes(r)) problems.push({ line: 1, message: `column "${r}" is missing` });
  for (const n of names) if (!columns.required.includes(n) && !columns.optional.includes(n)) problems.push({ line: 1, message: `unknown column "${n}"` });
  if (rows.length === 0) problems.push({ line: 2, message: 'there are no rows after the header' });
  if (rows.length > MAX_ROWS) problems.push({ line: MAX_ROWS + 2, message: `at most ${MAX_ROWS} rows at once` });
  if (problems.length) throw new ImportRejected(problems);
  return rows.map((cells, i) => ({ line: i + 2, values: Object.fromEntries(names.map((n, j) => [n, cells[j] ?? ''])) }));
}

/** yes/no columns: empty means the default. */
export function yesNo(v: string | undefined, fallback: boolean): boolean | null {
  if (v === undefined || v === '') return fallback;
  if (/^(yes|y|true|1|on)$/i.test(v)) return true;
  if (/^(no|n|false|0|off)$/i.test(v)) return false;
  return null;
}

export function writeCsv(header: string[], rows: (string | number)[][]): string {
  return stringify([header, ...rows]);
}
