/** Byte order mark: Excel reads a CSV as UTF-8 (and shows Chinese text) only when the file starts with it. */
export const UTF8_BOM = '\uFEFF';

const cell = (value: unknown): string => {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  // Formula injection: a cell starting with = + - @ would run in a spreadsheet.
  const safe = /^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
};

/** Nested objects become dotted columns: { cases: { received: 3 } } gives a column cases.received. */
export const flattenRow = (row: Record<string, unknown>, prefix = ''): Record<string, unknown> => {
  const flat: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      Object.assign(flat, flattenRow(value as Record<string, unknown>, name));
    } else flat[name] = Array.isArray(value) ? value.join(' ') : value;
  }
  return flat;
};

/** RFC 4180 CSV with a BOM and CRLF line ends; columns are the union of the rows' fields in order. */
export const toCsv = (rows: readonly Record<string, unknown>[]): string => {
  const flat = rows.map((row) => flattenRow(row));
  const columns: string[] = [];
  for (const row of flat) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  const lines = [
    columns.map(cell).join(','),
    ...flat.map((row) => columns.map((c) => cell(row[c])).join(',')),
  ];
  return `${UTF8_BOM}${lines.join('\r\n')}\r\n`;
};
