// D1 binds at most 100 parameters per statement, so a lookup by a list of ids runs in slices.
export const PARAMETROS_D1 = 100;

/** Runs `consulta` over slices of `items` of at most `tamaño`, concurrently, and joins the rows. */
export async function porLotes<T, R>(items: readonly T[], tamaño: number, consulta: (lote: T[]) => Promise<R[]>): Promise<R[]> {
  const lotes: T[][] = [];
  for (let i = 0; i < items.length; i += tamaño) lotes.push(items.slice(i, i + tamaño));
  return (await Promise.all(lotes.map(consulta))).flat();
}
