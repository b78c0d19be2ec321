/**
 * Splits a list into runs whose JSON fits one DynamoDB item (400 KB, less room for keys),
 * for data that arrives as one document but must be stored as several items.
 */
export const ITEM_CHUNK_BYTES = 300 * 1024;

export const chunkBySize = <T>(items: readonly T[], maxBytes = ITEM_CHUNK_BYTES): T[][] => {
  const chunks: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const item of items) {
    const bytes = Buffer.byteLength(JSON.stringify(item));
    if (bytes > maxBytes) throw new RangeError(`one element takes ${bytes} bytes, more than ${maxBytes}`);
    if (size + bytes > maxBytes && current.length > 0) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(item);
    size += bytes;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
};
