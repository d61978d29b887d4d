// D1 binds at most 100 parameters per statement, so a lookup by a list of ids runs in slices.
export const D1_MAX_PARAMETERS = 100;

/** Runs `query` over slices of `items` of at most `size`, concurrently, and joins the rows. */
export async function inChunks<T, R>(items: readonly T[], size: number, query: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return (await Promise.all(chunks.map(query))).flat();
}
