/**
 * Splits rows into chunks of a few fixed sizes (the largest first, the rest in smaller sizes), so a bulk
 * insert uses at most one prepared statement per size: SQLite statements are cached per SQL text, and a
 * chunk of every possible length would fill the cache with large one-off statements.
 */
export function fixedChunks<T>(rows: readonly T[], sizes: readonly number[] = [200, 50, 10, 1]): T[][] {
  const chunks: T[][] = [];
  let start = 0;
  for (const size of sizes) {
    while (rows.length - start >= size) {
      chunks.push(rows.slice(start, start + size));
      start += size;
    }
  }
  return chunks;
}

/**
 * Pads a list of ids for an `IN (…)` query to one of a few lengths by repeating its last id (harmless in
 * `IN`), for the same reason: one cached statement per length instead of one per possible length.
 */
export function paddedIds(
  ids: readonly string[],
  lengths: readonly number[] = [1, 10, 50, 100, 500, 1000],
): string[] {
  const last = ids[ids.length - 1];
  const target = lengths.find((length) => length >= ids.length);
  if (last === undefined || target === undefined) return [...ids];
  return [...ids, ...new Array<string>(target - ids.length).fill(last)];
}
