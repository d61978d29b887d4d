import type { Vigencia } from './types';

/** Whether a catalog entry is in force on `fecha` (`YYYY-MM-DD…`; ISO strings compare lexically). */
export function vigente(v: Vigencia, fecha?: string): boolean {
  if (!fecha) return true;
  const dia = fecha.slice(0, 10);
  return (!v.desde || v.desde <= dia) && (!v.hasta || dia <= v.hasta);
}
