/**
 * Tax arithmetic of a CFDI 4.0, exact (decimal.js, never floats), rounding as the SAT's guía de
 * llenado allows:
 *
 * - Concepto level: Importe = Cantidad × ValorUnitario; each impuesto's Importe = Base × TasaOCuota.
 *   These keep up to 6 decimals (the most the XSD admits; the guía accepts "de cero hasta seis
 *   decimales" and validates them against limits derived from the operands' decimals), rounded
 *   half-up at the 6th decimal and printed with at least the currency's decimals. Keeping them
 *   unrounded to cents means no rounding error accumulates across conceptos.
 * - Comprobante level: SubTotal, Descuento, every grouped Base and Importe are the sum of the
 *   concepto values rounded half-up to the currency's decimals (c_Moneda); the Totales add up the
 *   already rounded group values, and Total = SubTotal − Descuento + Trasladados − Retenidos.
 * - Base: Importe − Descuento; for IVA it also includes the IEPS trasladado of the same concepto
 *   (LIVA art. 18: the other taxes are part of the value the IVA is computed on). For TipoFactor
 *   Cuota the Base is the Cantidad (units: litres, pieces…), and Importe = Cantidad × cuota.
 * - TasaOCuota is always printed with 6 decimals.
 */
import Decimal from 'decimal.js';
import type { Concepto, ConceptoInput, ImpuestoConcepto, ImpuestosComprobante, TipoFactor } from './model';

/** A private Decimal with enough precision and the SAT's half-up rounding (global config untouched). */
export const Dec = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_UP });
export type Dec = Decimal;

/** Concepto-level amounts keep at most the 6 decimals the XSD admits. */
export const DECIMALES_CONCEPTO = 6;
const IVA = '002';
const IEPS = '003';

export function dec(value: string | number | Decimal): Decimal {
  return new Dec(typeof value === 'number' ? String(value) : value);
}

/** Half-up rounding to `decimales` places. */
export function redondear(value: Decimal, decimales: number): Decimal {
  return value.toDecimalPlaces(decimales, Decimal.ROUND_HALF_UP);
}

/** Prints with exactly `decimales` places (the value is rounded half-up first if it has more). */
export function formatear(value: Decimal, decimales: number): string {
  return value.toFixed(decimales, Decimal.ROUND_HALF_UP);
}

/** Prints a concepto-level amount: at least the currency's decimals, at most 6, no extra zeros. */
export function formatearConcepto(value: Decimal, decimalesMoneda: number): string {
  const v = redondear(value, DECIMALES_CONCEPTO);
  return formatear(v, Math.max(decimalesMoneda, v.decimalPlaces()));
}

export function formatearTasa(value: string | number | Decimal): string {
  return formatear(dec(value), 6);
}

/** Importe of a concepto: Cantidad × ValorUnitario, at 6 decimals. */
export function importeConcepto(c: Pick<ConceptoInput, 'cantidad' | 'valor_unitario'>): Decimal {
  return redondear(dec(c.cantidad).times(dec(c.valor_unitario)), DECIMALES_CONCEPTO);
}

interface ImpuestoCalculado {
  impuesto: string;
  tipoFactor: TipoFactor;
  tasaOCuota?: Decimal;
  base: Decimal;
  importe?: Decimal;
}

export interface ConceptoCalculado {
  importe: Decimal;
  descuento?: Decimal;
  traslados: ImpuestoCalculado[];
  retenciones: ImpuestoCalculado[];
}

/** Computes a concepto's Importe and the Base/Importe of each of its impuestos (see the module doc). */
export function calcularConcepto(c: ConceptoInput): ConceptoCalculado {
  const importe = importeConcepto(c);
  const descuento = c.descuento === undefined ? undefined : dec(c.descuento);
  const baseValor = importe.minus(descuento ?? 0);
  const cantidad = dec(c.cantidad);

  const calcular = (i: { impuesto: string; tipo_factor: string; tasa_o_cuota?: string | number }, extraIva: Decimal) => {
    const tipoFactor = i.tipo_factor as TipoFactor;
    const base = tipoFactor === 'Cuota' ? cantidad : i.impuesto === IVA ? baseValor.plus(extraIva) : baseValor;
    if (tipoFactor === 'Exento' || i.tasa_o_cuota === undefined) return { impuesto: i.impuesto, tipoFactor, base };
    const tasaOCuota = dec(i.tasa_o_cuota);
    return { impuesto: i.impuesto, tipoFactor, base, tasaOCuota, importe: redondear(base.times(tasaOCuota), DECIMALES_CONCEPTO) };
  };

  const trasladosInput = c.impuestos?.traslados ?? [];
  const ieps = trasladosInput
    .filter((t) => t.impuesto === IEPS)
    .map((t) => calcular(t, new Dec(0)).importe ?? new Dec(0))
    .reduce((a, b) => a.plus(b), new Dec(0));
  return {
    importe,
    descuento,
    traslados: trasladosInput.map((t) => calcular(t, ieps)),
    retenciones: (c.impuestos?.retenciones ?? []).map((r) => calcular(r, ieps)),
  };
}

function imprimirImpuesto(i: ImpuestoCalculado, decimales: number): ImpuestoConcepto {
  return {
    base: formatearConcepto(i.base, decimales),
    impuesto: i.impuesto,
    tipoFactor: i.tipoFactor,
    tasaOCuota: i.tasaOCuota && formatearTasa(i.tasaOCuota),
    importe: i.importe && formatearConcepto(i.importe, decimales),
  };
}

export interface TotalesComprobante {
  conceptos: Concepto[];
  subTotal: string;
  descuento?: string;
  total: string;
  impuestos?: ImpuestosComprobante;
}

const suma = (values: Decimal[]) => values.reduce((a, b) => a.plus(b), new Dec(0));

/**
 * Computes every concepto and the comprobante totals for a currency with `decimales` decimals
 * (c_Moneda). Inputs must already be validated (validate.ts): codes, tasas and ObjetoImp are trusted.
 */
export function calcularComprobante(conceptosInput: ConceptoInput[], decimales: number): TotalesComprobante {
  const calculados = conceptosInput.map(calcularConcepto);

  const conceptos: Concepto[] = conceptosInput.map((c, n) => {
    const calc = calculados[n];
    // Importe and Descuento share their decimals: the SAT rejects a Descuento with more (CFDI40168).
    const lugares = Math.max(decimales, calc.importe.decimalPlaces(), calc.descuento?.decimalPlaces() ?? 0);
    return {
      claveProdServ: c.clave_prod_serv,
      noIdentificacion: c.no_identificacion,
      cantidad: String(c.cantidad),
      claveUnidad: c.clave_unidad,
      unidad: c.unidad,
      descripcion: c.descripcion,
      valorUnitario: String(c.valor_unitario),
      importe: formatear(calc.importe, lugares),
      descuento: calc.descuento && formatear(calc.descuento, lugares),
      objetoImp: c.objeto_imp,
      impuestos: c.impuestos && {
        traslados: calc.traslados.map((t) => imprimirImpuesto(t, decimales)),
        retenciones: calc.retenciones.map((r) => imprimirImpuesto(r, decimales)),
      },
    };
  });

  // Comprobante-level groups, in order of first appearance.
  const traslados = new Map<string, { tipo: ImpuestoCalculado; bases: Decimal[]; importes: Decimal[] }>();
  const retenciones = new Map<string, Decimal[]>();
  for (const calc of calculados) {
    for (const t of calc.traslados) {
      const key = [t.impuesto, t.tipoFactor, t.tasaOCuota ? formatearTasa(t.tasaOCuota) : ''].join('|');
      const group = traslados.get(key) ?? { tipo: t, bases: [], importes: [] };
      group.bases.push(t.base);
      if (t.importe) group.importes.push(t.importe);
      traslados.set(key, group);
    }
    for (const r of calc.retenciones) retenciones.set(r.impuesto, [...(retenciones.get(r.impuesto) ?? []), r.importe ?? new Dec(0)]);
  }

  const gruposTraslado = [...traslados.values()].map((g) => ({
    base: redondear(suma(g.bases), decimales),
    impuesto: g.tipo.impuesto,
    tipoFactor: g.tipo.tipoFactor,
    tasaOCuota: g.tipo.tasaOCuota,
    importe: g.tipo.tipoFactor === 'Exento' ? undefined : redondear(suma(g.importes), decimales),
  }));
  const gruposRetencion = [...retenciones.entries()].map(([impuesto, importes]) => ({
    impuesto,
    importe: redondear(suma(importes), decimales),
  }));

  const importesTrasladados = gruposTraslado.flatMap((g) => (g.importe ? [g.importe] : []));
  // With only Exento traslados there is no tax amount, so TotalImpuestosTrasladados is omitted.
  const totalTrasladados = importesTrasladados.length ? suma(importesTrasladados) : undefined;
  const totalRetenidos = gruposRetencion.length ? suma(gruposRetencion.map((g) => g.importe)) : undefined;

  const subTotal = redondear(suma(calculados.map((c) => c.importe)), decimales);
  const conDescuento = calculados.some((c) => c.descuento !== undefined);
  const descuento = redondear(suma(calculados.map((c) => c.descuento ?? new Dec(0))), decimales);
  const total = subTotal
    .minus(descuento)
    .plus(totalTrasladados ?? 0)
    .minus(totalRetenidos ?? 0);

  const impuestos: ImpuestosComprobante | undefined =
    gruposTraslado.length || gruposRetencion.length
      ? {
          totalImpuestosRetenidos: totalRetenidos && formatear(totalRetenidos, decimales),
          totalImpuestosTrasladados: totalTrasladados && formatear(totalTrasladados, decimales),
          retenciones: gruposRetencion.map((g) => ({ impuesto: g.impuesto, importe: formatear(g.importe, decimales) })),
          traslados: gruposTraslado.map((g) => ({
            base: formatear(g.base, decimales),
            impuesto: g.impuesto,
            tipoFactor: g.tipoFactor,
            tasaOCuota: g.tasaOCuota && formatearTasa(g.tasaOCuota),
            importe: g.importe && formatear(g.importe, decimales),
          })),
        }
      : undefined;

  return {
    conceptos,
    subTotal: formatear(subTotal, decimales),
    descuento: conDescuento ? formatear(descuento, decimales) : undefined,
    total: formatear(total, decimales),
    impuestos,
  };
}
