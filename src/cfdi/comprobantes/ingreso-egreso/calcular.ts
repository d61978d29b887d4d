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
import type Decimal from 'decimal.js';
import type { Concepto, ImpuestoConcepto, ImpuestosComprobante, TipoFactor } from '../../comprobante';
import { Dec, dec, formatear, redondear } from '../../decimal';
import type { ConceptoEntrada } from './modelo';

/** Concepto-level amounts keep at most the 6 decimals the XSD admits. */
export const DECIMALES_CONCEPTO = 6;
const IVA = '002';
const IEPS = '003';

/** Prints a concepto-level amount: at least the currency's decimals, at most 6, no extra zeros. */
export function formatearConcepto(value: Decimal, decimalesMoneda: number): string {
  const v = value.decimalPlaces() > DECIMALES_CONCEPTO ? redondear(value, DECIMALES_CONCEPTO) : value;
  return formatear(v, Math.max(decimalesMoneda, v.decimalPlaces()));
}

/** Importe of a concepto: Cantidad × ValorUnitario, at 6 decimals. */
export function importeConcepto(c: Pick<ConceptoEntrada, 'cantidad' | 'valor_unitario'>): Decimal {
  return redondear(dec(c.cantidad).times(dec(c.valor_unitario)), DECIMALES_CONCEPTO);
}

interface ImpuestoCalculado {
  impuesto: string;
  tipoFactor: TipoFactor;
  tasaOCuota?: Decimal;
  /** tasaOCuota as printed (6 decimals): also the grouping key at comprobante level */
  tasaOCuotaTexto?: string;
  base: Decimal;
  importe?: Decimal;
}

export interface ConceptoCalculado {
  importe: Decimal;
  descuento?: Decimal;
  traslados: ImpuestoCalculado[];
  retenciones: ImpuestoCalculado[];
}

type ImpuestoInput = { impuesto: string; tipo_factor: string; tasa_o_cuota?: string | number };

/** Computes a concepto's Importe and the Base/Importe of each of its impuestos (see the module doc). */
export function calcularConcepto(c: ConceptoEntrada): ConceptoCalculado {
  const cantidad = dec(c.cantidad);
  const importe = redondear(cantidad.times(dec(c.valor_unitario)), DECIMALES_CONCEPTO);
  const descuento = c.descuento === undefined ? undefined : dec(c.descuento);
  const baseValor = descuento ? importe.minus(descuento) : importe;

  // IEPS first: the IVA of the same concepto is computed over importe plus the IEPS trasladado.
  const traslados = c.impuestos?.traslados ?? [];
  const ieps = traslados.map((t) => (t.impuesto === IEPS ? calcularImpuesto(t, cantidad, baseValor) : undefined));
  let iepsTrasladado: Decimal | undefined;
  for (const t of ieps) if (t?.importe) iepsTrasladado = iepsTrasladado ? iepsTrasladado.plus(t.importe) : t.importe;
  return {
    importe,
    descuento,
    traslados: traslados.map((t, k) => ieps[k] ?? calcularImpuesto(t, cantidad, baseValor, iepsTrasladado)),
    retenciones: (c.impuestos?.retenciones ?? []).map((r) => calcularImpuesto(r, cantidad, baseValor, iepsTrasladado)),
  };
}

// Module level, not a closure per concepto: bundlers keep function names (esbuild keepNames), which
// costs a defineProperty each time a named closure is created.
function calcularImpuesto(i: ImpuestoInput, cantidad: Decimal, baseValor: Decimal, iepsTrasladado?: Decimal): ImpuestoCalculado {
  const tipoFactor = i.tipo_factor as TipoFactor;
  const base = tipoFactor === 'Cuota' ? cantidad : i.impuesto === IVA && iepsTrasladado ? baseValor.plus(iepsTrasladado) : baseValor;
  if (tipoFactor === 'Exento' || i.tasa_o_cuota === undefined) return { impuesto: i.impuesto, tipoFactor, base };
  const { valor: tasaOCuota, texto: tasaOCuotaTexto } = tasa(i.tasa_o_cuota);
  return {
    impuesto: i.impuesto,
    tipoFactor,
    base,
    tasaOCuota,
    tasaOCuotaTexto,
    importe: redondear(base.times(tasaOCuota), DECIMALES_CONCEPTO),
  };
}

// The same few tasas come in every concepto: each is parsed and printed once (Decimals are immutable).
const tasas = new Map<string | number, { valor: Decimal; texto: string }>();
function tasa(entrada: string | number): { valor: Decimal; texto: string } {
  let t = tasas.get(entrada);
  if (!t) {
    const valor = dec(entrada);
    t = { valor, texto: formatear(valor, 6) };
    if (tasas.size > 1000) tasas.clear();
    tasas.set(entrada, t);
  }
  return t;
}

function imprimirImpuesto(i: ImpuestoCalculado, decimales: number): ImpuestoConcepto {
  return {
    base: formatearConcepto(i.base, decimales),
    impuesto: i.impuesto,
    tipoFactor: i.tipoFactor,
    tasaOCuota: i.tasaOCuotaTexto,
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

const sumar = (a: Decimal | undefined, b: Decimal) => (a ? a.plus(b) : b);

/**
 * Computes every concepto and the comprobante totals for a currency with `decimales` decimals
 * (c_Moneda). Inputs must already be validated (validar.ts): codes, tasas and ObjetoImp are trusted.
 */
export function calcularComprobante(conceptosInput: ConceptoEntrada[], decimales: number): TotalesComprobante {
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

  // Comprobante-level groups, in order of first appearance; sums of the unrounded concepto values.
  const traslados = new Map<string, { tipo: ImpuestoCalculado; base: Decimal; importe?: Decimal }>();
  const retenciones = new Map<string, Decimal>();
  let sumaImportes = new Dec(0);
  let sumaDescuentos: Decimal | undefined;
  for (const calc of calculados) {
    sumaImportes = sumaImportes.plus(calc.importe);
    if (calc.descuento) sumaDescuentos = sumar(sumaDescuentos, calc.descuento);
    for (const t of calc.traslados) {
      const key = `${t.impuesto}|${t.tipoFactor}|${t.tasaOCuotaTexto ?? ''}`;
      const group = traslados.get(key);
      if (!group) traslados.set(key, { tipo: t, base: t.base, importe: t.importe });
      else {
        group.base = group.base.plus(t.base);
        if (t.importe) group.importe = sumar(group.importe, t.importe);
      }
    }
    for (const r of calc.retenciones) retenciones.set(r.impuesto, sumar(retenciones.get(r.impuesto), r.importe ?? new Dec(0)));
  }

  const gruposTraslado = [...traslados.values()].map((g) => ({
    base: redondear(g.base, decimales),
    impuesto: g.tipo.impuesto,
    tipoFactor: g.tipo.tipoFactor,
    tasaOCuota: g.tipo.tasaOCuotaTexto,
    importe: g.tipo.tipoFactor === 'Exento' ? undefined : redondear(g.importe ?? new Dec(0), decimales),
  }));
  const gruposRetencion = [...retenciones.entries()].map(([impuesto, importe]) => ({ impuesto, importe: redondear(importe, decimales) }));

  // With only Exento traslados there is no tax amount, so TotalImpuestosTrasladados is omitted.
  let totalTrasladados: Decimal | undefined;
  for (const g of gruposTraslado) if (g.importe) totalTrasladados = sumar(totalTrasladados, g.importe);
  let totalRetenidos: Decimal | undefined;
  for (const g of gruposRetencion) totalRetenidos = sumar(totalRetenidos, g.importe);

  const subTotal = redondear(sumaImportes, decimales);
  const descuento = sumaDescuentos && redondear(sumaDescuentos, decimales);
  let total = subTotal;
  if (descuento) total = total.minus(descuento);
  if (totalTrasladados) total = total.plus(totalTrasladados);
  if (totalRetenidos) total = total.minus(totalRetenidos);

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
            tasaOCuota: g.tasaOCuota,
            importe: g.importe && formatear(g.importe, decimales),
          })),
        }
      : undefined;

  return {
    conceptos,
    subTotal: formatear(subTotal, decimales),
    descuento: descuento && formatear(descuento, decimales),
    total: formatear(total, decimales),
    impuestos,
  };
}
