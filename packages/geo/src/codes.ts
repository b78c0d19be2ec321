/** Plain code-unit order: for equal-length division codes it is numeric order, and it never depends on locale. */
export function compareCodes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
