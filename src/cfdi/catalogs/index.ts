/**
 * SAT CFDI 4.0 catalogs (c_FormaPago, c_UsoCFDI, c_Moneda, ...) with a small typed lookup API.
 * Data: sat.generated.ts (scripts/gen-catalogs.ts); c_ClaveProdServ and c_CodigoPostal, packed, in
 * grandes.ts (scripts/gen-catalogos-grandes.ts).
 */
import Decimal from 'decimal.js';
import { Buscador } from './buscador';
import * as data from './sat.generated';
import type { ClaveUnidad, ReglaTasaCuota, Vigencia } from './types';
import { vigente } from './vigencia';

export type * from './types';
export { vigente } from './vigencia';
export { buscarProductosServicios, claveProdServ, codigoPostal, type ProductoEncontrado } from './grandes';
export const catalogos = data;

type ConClave = { id: string; vigencia?: Vigencia };
const indices = new WeakMap<readonly ConClave[], Map<string, ConClave>>();

/** The entry with clave `id` of `catalogo`, if it exists and (when `fecha` is given) is in force that day. */
export function buscar<T extends ConClave>(catalogo: readonly T[], id: string | undefined, fecha?: string): T | undefined {
  if (id === undefined) return undefined;
  let index = indices.get(catalogo);
  if (!index) {
    index = new Map(catalogo.map((row) => [row.id, row]));
    indices.set(catalogo, index);
  }
  const row = index.get(id) as T | undefined;
  return row && (!row.vigencia || vigente(row.vigencia, fecha)) ? row : undefined;
}

export const formaPago = (id?: string, fecha?: string) => buscar(data.formasPago, id, fecha);
export const metodoPago = (id?: string, fecha?: string) => buscar(data.metodosPago, id, fecha);
export const usoCfdi = (id?: string, fecha?: string) => buscar(data.usosCfdi, id, fecha);
export const regimenFiscal = (id?: string, fecha?: string) => buscar(data.regimenesFiscales, id, fecha);
export const moneda = (id?: string, fecha?: string) => buscar(data.monedas, id, fecha);
export const impuesto = (id?: string, fecha?: string) => buscar(data.impuestos, id, fecha);
export const objetoImp = (id?: string, fecha?: string) => buscar(data.objetosImpuestos, id, fecha);
export const exportacion = (id?: string, fecha?: string) => buscar(data.exportaciones, id, fecha);
export const tipoDeComprobante = (id?: string, fecha?: string) => buscar(data.tiposComprobantes, id, fecha);
export const tipoRelacion = (id?: string, fecha?: string) => buscar(data.tiposRelaciones, id, fecha);
export const periodicidad = (id?: string, fecha?: string) => buscar(data.periodicidades, id, fecha);
export const mes = (id?: string, fecha?: string) => buscar(data.meses, id, fecha);
export const claveUnidad = (id?: string, fecha?: string) => buscar(data.clavesUnidades, id, fecha);
export const tipoFactor = (id?: string, fecha?: string) => buscar(data.tiposFactores, id, fecha);
export const pais = (id?: string) => buscar(data.paises, id);

/** Decimals of a currency per c_Moneda (MXN 2, JPY 0, XXX 0); undefined for an unknown code. */
export function decimalesMoneda(id: string): number | undefined {
  return moneda(id)?.decimales;
}

/**
 * The c_TasaOCuota rule that admits `valor` for this impuesto (c_Impuesto clave, e.g. '002'),
 * TipoFactor ('Tasa' | 'Cuota') and use ('traslado' | 'retencion'); undefined when none does.
 */
export function reglaTasaCuota(
  impuestoId: string,
  factor: string,
  valor: Decimal.Value,
  uso: 'traslado' | 'retencion',
  fecha?: string,
): ReglaTasaCuota | undefined {
  // Remembered: every concepto asks again for the same few tasas, and each answer builds Decimals.
  const clave = `${impuestoId}|${factor}|${String(valor)}|${uso}|${fecha?.slice(0, 10) ?? ''}`;
  if (reglas.has(clave)) return reglas.get(clave);
  if (reglas.size > 10_000) reglas.clear();
  const regla = buscarReglaTasaCuota(impuestoId, factor, valor, uso, fecha);
  reglas.set(clave, regla);
  return regla;
}

const reglas = new Map<string, ReglaTasaCuota | undefined>();

/**
 * c_TasaOCuota lists IVA's 8 % (the estímulo de la franja fronteriza) under its own name, "IVA Crédito aplicado del
 * 50%": it is IVA (002) all the same, and the SAT stamps it as such.
 */
export const IVA_FRANJA_FRONTERIZA = 'IVA Crédito aplicado del 50%';
export const esIvaFranjaFronteriza = (regla: ReglaTasaCuota | undefined) => regla?.impuesto === IVA_FRANJA_FRONTERIZA;

function buscarReglaTasaCuota(...[impuestoId, factor, valor, uso, fecha]: Parameters<typeof reglaTasaCuota>): ReglaTasaCuota | undefined {
  const nombre = impuesto(impuestoId)?.texto;
  if (!nombre) return undefined;
  let v: Decimal;
  try {
    v = new Decimal(valor);
  } catch {
    return undefined;
  }
  return data.reglasTasaCuota.find(
    (r) =>
      (r.impuesto === nombre || (nombre === 'IVA' && r.impuesto === IVA_FRANJA_FRONTERIZA)) &&
      r.factor === factor &&
      r[uso] &&
      vigente(r.vigencia, fecha) &&
      (r.tipo === 'Fijo' ? v.eq(r.valor) : v.gte(r.minimo ?? 0) && v.lte(r.valor)),
  );
}

let buscadorUnidades: Buscador | undefined;
/** c_ClaveUnidad entries in force on `fecha` for `q`: the clave itself first (H87, e48), then the ranked search over nombre and símbolo. */
export function buscarClavesUnidad(q: string, limite: number, fecha: string): ClaveUnidad[] {
  const unidades = data.clavesUnidades;
  const exacta = claveUnidad(q.trim().toUpperCase(), fecha);
  buscadorUnidades ??= new Buscador(
    unidades.map((u) => u.texto),
    unidades.map((u) => `${u.id} ${u.simbolo ?? ''}`),
  );
  const resto = buscadorUnidades
    .buscar(q, limite, (i) => unidades[i] !== exacta && vigente(unidades[i].vigencia, fecha))
    .map((a) => unidades[a.indice]);
  return (exacta ? [exacta, ...resto] : resto).slice(0, limite);
}

/** The packing the generated data uses; scripts/gen-catalogos-grandes.ts writes it with these. */
export { empacarCreciente, empacarFijo } from './empaque';
