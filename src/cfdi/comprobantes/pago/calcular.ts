/**
 * Complemento para recepción de pagos 2.0 (pago20:Pagos) and the CFDI tipo P that carries it: the
 * JSON input, the checks of the SAT's matriz de errores (all problems at once, CRP20xxx codes), the
 * exact decimal arithmetic of the guía de llenado, and the complement's XML.
 *
 * ImpuestosDR: the caller passes each related document's own tax lines (the bases of the invoice,
 * not prorated, grouped by impuesto + tipo factor + tasa; `impuestosDeDocumento` builds them from a
 * stored Comprobante) and its Total. Every BaseDR is that base in the proportion the payment bears to
 * the document's Total — for an invoice wholly taxed at IVA 16% this is the guía's ImpPagado / 1.16,
 * and it stays right with retenciones, several rates or untaxed conceptos. So that the parcialidades
 * add up to the invoice's base exactly, a payment takes the cumulative proportion after it minus the
 * one before it (Total − ImpSaldoAnt is what was paid before). ImporteDR = BaseDR × TasaOCuotaDR,
 * rounded to the document currency, which always lies within the SAT's limits (CRP20254, CRP20261).
 *
 * ImpuestosP (moneda del pago): BaseDR and ImporteDR ÷ EquivalenciaDR, summed per impuesto + tipo
 * factor + tasa (retenciones per impuesto), kept to 6 decimals. Totales (MXN): the ImpuestosP as
 * written × TipoCambioP, summed over the payments and rounded once to 2 decimals.
 */
import Decimal from 'decimal.js';
import { z } from 'zod';
import { dec, formatear, formatearTasa, type Dec } from './calc';
import { formaPago, impuesto as buscarImpuesto, moneda as buscarMoneda, objetoImp, reglaTasaCuota } from './catalogs';
import { receptorDe, rutaJson, sellarComprobante, type Emision } from './build';
import type { Csd } from './csd';
import { decimalCon, FacturaInputSchema, texto, type Comprobante, type Complemento, type Emisor, type TipoFactor } from './model';
import { resolverFecha, validarEmisor, validarReceptor, type ValidationIssue } from './validate';
import { el, type XmlElement } from './xml';

export const PAGOS20_NAMESPACE = 'http://www.sat.gob.mx/Pagos20';
export const PAGOS20_XSD = 'http://www.sat.gob.mx/sitio_internet/cfd/Pagos/Pagos20.xsd';


// ───────────────────────────── input ─────────────────────────────

function patron(re: RegExp, mensaje: string, description: string, example: string) {
  return z.string().trim().regex(re, mensaje).describe(description).meta({ example });
}

const RFC_PM = /^[A-Z&Ñ]{3}[0-9]{2}(0[1-9]|1[012])(0[1-9]|[12][0-9]|3[01])[A-Z0-9]{2}[0-9A]$/;
const CUENTA = /^[A-Z0-9_]{10,50}$/;
// Pagos20.xsd IdDocumento: a folio fiscal (UUID) or the número de operación of a documento digital.
const ID_DOCUMENTO = /^([a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}|[0-9]{3}-[0-9]{2}-[0-9]{9})$/;

const ImpuestoDocumentoInputSchema = z
  .object({
    base: decimalCon(6, 'Base de este impuesto en el documento relacionado completo (no la del pago): HexaFac la prorratea.', '10000.00'),
    impuesto: z.string().trim().describe('c_Impuesto: 001 ISR, 002 IVA, 003 IEPS.').meta({ example: '002' }),
    tipo_factor: z.enum(['Tasa', 'Cuota', 'Exento']).describe('c_TipoFactor.').meta({ example: 'Tasa' }),
    tasa_o_cuota: decimalCon(6, 'c_TasaOCuota (se omite si el tipo de factor es Exento).', '0.160000').optional(),
  })
  .describe('Impuesto del documento relacionado, agrupado por impuesto, tipo de factor y tasa o cuota.');

const DocumentoRelacionadoInputSchema = z
  .object({
    uuid: patron(ID_DOCUMENTO, 'Debe ser un folio fiscal (UUID)', 'IdDocumento: folio fiscal (UUID) de la factura que se paga.', '5FB2822E-396D-4725-8521-CDC4BDD20CCF'),
    serie: texto(25, 'Serie de la factura pagada.', 'A').optional(),
    folio: texto(40, 'Folio de la factura pagada.', '1001').optional(),
    moneda: z.string().trim().describe('MonedaDR: c_Moneda de la factura pagada (no XXX).').meta({ example: 'MXN' }),
    equivalencia: decimalCon(10, 'EquivalenciaDR: unidades de la moneda de la factura por una unidad de la moneda del pago; obligatoria si difieren, 1 (o se omite) si son iguales.', '17.25').optional(),
    num_parcialidad: z.number().int().min(1).max(999).describe('Número de parcialidad de la factura que cubre este pago.').meta({ example: 1 }),
    imp_saldo_ant: decimalCon(6, 'Saldo de la factura antes de este pago, en su moneda.', '11600.00'),
    imp_pagado: decimalCon(6, 'Importe pagado de la factura, en su moneda.', '5800.00'),
    imp_saldo_insoluto: decimalCon(6, 'Saldo que queda (ImpSaldoAnt − ImpPagado); se calcula si se omite y se comprueba si se da.', '5800.00').optional(),
    objeto_imp: z.string().trim().describe('ObjetoImpDR (c_ObjetoImp): 02 exige impuestos; 01, 03, 04 y 05 los prohíben.').meta({ example: '02' }),
    total: decimalCon(6, 'Total de la factura pagada (su atributo Total); obligatorio con impuestos, para prorratearlos.', '11600.00').optional(),
    impuestos: z
      .object({
        traslados: z.array(ImpuestoDocumentoInputSchema).default([]).describe('Impuestos trasladados de la factura.'),
        retenciones: z.array(ImpuestoDocumentoInputSchema).default([]).describe('Impuestos retenidos de la factura.'),
      })
      .optional()
      .describe('Impuestos de la factura completa; los ImpuestosDR del pago se calculan en proporción a lo pagado.'),
  })
  .describe('DoctoRelacionado: una factura (PPD) que este pago cubre total o parcialmente.');

const PagoInputSchema = z
  .object({
    fecha_pago: z
      .string()
      .trim()
      .describe('FechaPago: cuándo el beneficiario recibió el pago, AAAA-MM-DDThh:mm:ss; con solo AAAA-MM-DD se registra 12:00:00.')
      .meta({ example: '2026-11-20T10:30:00' }),
    forma_pago: z.string().trim().describe('FormaDePagoP (c_FormaPago); no puede ser 99.').meta({ example: '03' }),
    moneda: z.string().trim().default('MXN').describe('MonedaP (c_Moneda); no XXX.').meta({ example: 'MXN' }),
    tipo_cambio: decimalCon(6, 'TipoCambioP: pesos por unidad de la moneda del pago; obligatorio si no es MXN (para MXN es 1).', '17.2345').optional(),
    monto: decimalCon(6, 'Monto del pago en su moneda; si se omite, la suma de lo pagado de cada factura convertida a la moneda del pago.', '5800.00').optional(),
    num_operacion: texto(100, 'Número de cheque, autorización, referencia o clave de rastreo SPEI.', '0123456789').optional(),
    rfc_emisor_cta_ord: patron(/^(XEXX010101000|[A-Z&Ñ]{3,4}[0-9]{2}(0[1-9]|1[012])(0[1-9]|[12][0-9]|3[01])[A-Z0-9]{2}[0-9A])$/, 'RFC inválido', 'RFC de la entidad emisora de la cuenta ordenante (XEXX010101000 si es extranjera).', 'BMI9704113PA').optional(),
    nom_banco_ord_ext: texto(300, 'Nombre del banco ordenante extranjero (obligatorio con XEXX010101000).', 'BANK OF AMERICA').optional(),
    cta_ordenante: patron(CUENTA, 'Cuenta inválida', 'Cuenta con la que se pagó.', '012180001234567897').optional(),
    rfc_emisor_cta_ben: patron(RFC_PM, 'RFC de persona moral inválido', 'RFC de la entidad operadora de la cuenta beneficiaria.', 'BBA830831LJ2').optional(),
    cta_beneficiario: patron(CUENTA, 'Cuenta inválida', 'Cuenta en que se recibió el pago.', '0198005000').optional(),
    documentos: z.array(DocumentoRelacionadoInputSchema).min(1).describe('Facturas que cubre este pago.'),
  })
  .describe('Pago recibido.');

export const ComplementoPagoInputSchema = FacturaInputSchema.pick({ serie: true, folio: true, fecha: true })
  .extend({
    receptor: FacturaInputSchema.shape.receptor.extend({
      uso_cfdi: z.literal('CP01').default('CP01').describe('c_UsoCFDI: siempre CP01 (Pagos).').meta({ example: 'CP01' }),
    }),
    pagos: z.array(PagoInputSchema).min(1).describe('Pagos recibidos (al menos uno), del mismo receptor.'),
  })
  .describe('Datos de un CFDI 4.0 de pago (tipo P) con el complemento para recepción de pagos 2.0.');

export type ComplementoPagoInput = z.infer<typeof ComplementoPagoInputSchema>;
export type PagoInput = z.infer<typeof PagoInputSchema>;
export type DocumentoRelacionadoInput = z.infer<typeof DocumentoRelacionadoInputSchema>;

// ───────────────────────────── model ─────────────────────────────
// Named as in Pagos20.xsd (camelCased, like model.ts); amounts are decimal strings as written in the XML.

export interface TrasladoDR {
  baseDR: string;
  impuestoDR: string;
  tipoFactorDR: TipoFactor;
  tasaOCuotaDR?: string;
  importeDR?: string;
}
export interface RetencionDR {
  baseDR: string;
  impuestoDR: string;
  tipoFactorDR: TipoFactor;
  tasaOCuotaDR: string;
  importeDR: string;
}
export interface DoctoRelacionado {
  idDocumento: string;
  serie?: string;
  folio?: string;
  monedaDR: string;
  equivalenciaDR: string;
  numParcialidad: string;
  impSaldoAnt: string;
  impPagado: string;
  impSaldoInsoluto: string;
  objetoImpDR: string;
  impuestosDR?: { retencionesDR: RetencionDR[]; trasladosDR: TrasladoDR[] };
}
export interface TrasladoP {
  baseP: string;
  impuestoP: string;
  tipoFactorP: TipoFactor;
  tasaOCuotaP?: string;
  importeP?: string;
}
export interface RetencionP {
  impuestoP: string;
  importeP: string;
}
export interface Pago {
  fechaPago: string;
  formaDePagoP: string;
  monedaP: string;
  tipoCambioP: string;
  monto: string;
  numOperacion?: string;
  rfcEmisorCtaOrd?: string;
  nomBancoOrdExt?: string;
  ctaOrdenante?: string;
  rfcEmisorCtaBen?: string;
  ctaBeneficiario?: string;
  doctoRelacionado: DoctoRelacionado[];
  impuestosP?: { retencionesP: RetencionP[]; trasladosP: TrasladoP[] };
}
export interface TotalesPagos {
  totalRetencionesIVA?: string;
  totalRetencionesISR?: string;
  totalRetencionesIEPS?: string;
  totalTrasladosBaseIVA16?: string;
  totalTrasladosImpuestoIVA16?: string;
  totalTrasladosBaseIVA8?: string;
  totalTrasladosImpuestoIVA8?: string;
  totalTrasladosBaseIVA0?: string;
  totalTrasladosImpuestoIVA0?: string;
  totalTrasladosBaseIVAExento?: string;
  montoTotalPagos: string;
}
export interface Pagos {
  version: '2.0';
  totales: TotalesPagos;
  pago: Pago[];
}

// ───────────────────────────── calculation and checks ─────────────────────────────

const CODIGO_RETENCION: Record<string, keyof TotalesPagos> = {
  '001': 'totalRetencionesISR',
  '002': 'totalRetencionesIVA',
  '003': 'totalRetencionesIEPS',
};
// Totales keys of an IVA (002) traslado per TasaOCuotaP as written.
const TOTALES_IVA: Record<string, [keyof TotalesPagos, keyof TotalesPagos]> = {
  '0.160000': ['totalTrasladosBaseIVA16', 'totalTrasladosImpuestoIVA16'],
  '0.080000': ['totalTrasladosBaseIVA8', 'totalTrasladosImpuestoIVA8'],
  '0.000000': ['totalTrasladosBaseIVA0', 'totalTrasladosImpuestoIVA0'],
};
// ObjetoImpDR values whose DoctoRelacionado may not carry ImpuestosDR (CRP20247).
const OBJETO_SIN_IMPUESTOS = new Set(['01', '03', '04', '05']);

/** Collects problems; `add` keeps the SAT code only where one exists. */
class Problemas {
  readonly lista: ValidationIssue[] = [];
  add(path: string, message: string, code?: string): void {
    this.lista.push(code ? { path, message, code } : { path, message });
  }
}

/** Smallest unit of an amount written with `decimales` decimals, halved: the SAT's rounding margin. */
const medioUlp = (decimales: number) => dec(10).pow(-decimales).div(2);

/** FechaPago as `YYYY-MM-DDThh:mm:ss`; a bare date gets 12:00:00 as the guía says. Undefined if invalid. */
function fechaPago(valor: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2}))?$/.exec(valor);
  if (!m) return undefined;
  const [y, mo, d, h = '12', mi = '00', s = '00'] = m.slice(1);
  const t = new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, +s));
  const valida =
    t.getUTCFullYear() === +y && t.getUTCMonth() === +mo - 1 && t.getUTCDate() === +d && +h < 24 && +mi < 60 && +s < 60;
  return valida ? `${y}-${mo}-${d}T${h}:${mi}:${s}` : undefined;
}

/** Decimals of a currency for a payment or a document; reports XXX (code) or an unknown clave. */
function decimalesMoneda(p: Problemas, ruta: string, clave: string, codigoXXX: string, fecha: string): number | undefined {
  if (clave === 'XXX') {
    p.add(ruta, 'La moneda no puede ser XXX.', codigoXXX);
    return undefined;
  }
  const m = buscarMoneda(clave, fecha);
  if (!m) p.add(ruta, `${clave} no es una clave vigente de c_Moneda.`);
  return m?.decimales;
}

/** An amount in a currency: > 0 and with no more decimals than the currency has. */
function importe(
  p: Problemas,
  ruta: string,
  valor: string | number,
  decimales: number | undefined,
  codigos: { positivo?: string; decimales: string },
): Dec {
  const d = dec(valor);
  if (codigos.positivo !== undefined && d.lte(0)) p.add(ruta, 'Debe ser mayor que cero.', codigos.positivo);
  if (decimales !== undefined && d.decimalPlaces() > decimales) {
    p.add(ruta, `Tiene más decimales que los ${decimales} de su moneda.`, codigos.decimales);
  }
  return d;
}

interface DocumentoCalculado {
  docto: DoctoRelacionado;
  pagado: Dec;
  equivalencia: Dec;
  mismaMoneda: boolean;
  decimales: number;
}

function calcularImpuestosDR(
  p: Problemas,
  ruta: string,
  d: DocumentoRelacionadoInput,
  decimales: number,
  saldoAnt: Dec,
  pagado: Dec,
  fecha: string,
): DoctoRelacionado['impuestosDR'] {
  const lineas = [
    ...(d.impuestos?.traslados ?? []).map((l, k) => ({ l, ruta: `${ruta}.impuestos.traslados[${k}]`, retencion: false })),
    ...(d.impuestos?.retenciones ?? []).map((l, k) => ({ l, ruta: `${ruta}.impuestos.retenciones[${k}]`, retencion: true })),
  ];
  if (lineas.length === 0) return undefined;

  let valido = true;
  const add = (r: string, message: string, code?: string) => {
    valido = false;
    p.add(r, message, code);
  };
  for (const { l, ruta: r, retencion } of lineas) {
    if (!buscarImpuesto(l.impuesto, fecha)) add(`${r}.impuesto`, `${l.impuesto} no es una clave de c_Impuesto.`, retencion ? 'CRP20250' : 'CRP20256');
    if (dec(l.base).lte(0)) add(`${r}.base`, 'Debe ser mayor que cero.', retencion ? 'CRP20249' : 'CRP20255');
    if (l.tipo_factor === 'Exento') {
      if (retencion) add(`${r}.tipo_factor`, 'Una retención no puede ser Exento.', 'CRP20252');
      else if (l.tasa_o_cuota !== undefined) add(`${r}.tasa_o_cuota`, 'Un traslado Exento no lleva tasa o cuota.', 'CRP20258');
    } else if (l.tasa_o_cuota === undefined) {
      add(`${r}.tasa_o_cuota`, `Obligatoria con tipo de factor ${l.tipo_factor}.`, retencion ? 'CRP20253' : 'CRP20259');
    } else if (!reglaTasaCuota(l.impuesto, l.tipo_factor, l.tasa_o_cuota, retencion ? 'retencion' : 'traslado', fecha)) {
      add(
        `${r}.tasa_o_cuota`,
        `${l.tasa_o_cuota} no es una ${retencion ? 'retención' : 'traslado'} válida de c_TasaOCuota para ${l.impuesto} ${l.tipo_factor}.`,
        retencion ? 'CRP20253' : 'CRP20260',
      );
    }
  }
  if (d.total === undefined) {
    add(`${ruta}.total`, 'Obligatorio con impuestos: los ImpuestosDR se prorratean sobre el total de la factura.');
    return undefined;
  }
  const total = dec(d.total);
  if (total.lt(saldoAnt)) add(`${ruta}.total`, `Es menor que el saldo anterior (${saldoAnt.toFixed()}).`);
  if (!valido) return undefined;

  // Proportions of the document paid before and after this payment; their difference is this payment's.
  const antes = total.minus(saldoAnt).div(total);
  const despues = total.minus(saldoAnt).plus(pagado).div(total);
  const prorratear = (base: Dec) =>
    base.times(despues).toDecimalPlaces(decimales).minus(base.times(antes).toDecimalPlaces(decimales));

  const impuestos: NonNullable<DoctoRelacionado['impuestosDR']> = { retencionesDR: [], trasladosDR: [] };
  for (const { l, ruta: r, retencion } of lineas) {
    const base = prorratear(dec(l.base));
    if (base.lte(0)) {
      p.add(`${ruta}.imp_pagado`, `El pago es tan pequeño que la base prorrateada de ${r} es cero.`, retencion ? 'CRP20249' : 'CRP20255');
      continue;
    }
    const tasa = l.tasa_o_cuota === undefined ? undefined : dec(l.tasa_o_cuota);
    const linea = {
      baseDR: formatear(base, decimales),
      impuestoDR: l.impuesto,
      tipoFactorDR: l.tipo_factor,
      tasaOCuotaDR: tasa && formatearTasa(tasa),
      importeDR: tasa && formatear(base.times(tasa), decimales),
    };
    if (retencion) impuestos.retencionesDR.push(linea as RetencionDR);
    else impuestos.trasladosDR.push(linea);
  }
  return impuestos;
}

/** EquivalenciaDR: 1 in the payment's currency (CRP20238), required in another one (CRP20237). */
function equivalenciaDR(p: Problemas, ruta: string, d: DocumentoRelacionadoInput, monedaP: string): Dec {
  if (d.moneda === monedaP) {
    if (d.equivalencia !== undefined && !dec(d.equivalencia).eq(1)) {
      p.add(`${ruta}.equivalencia`, 'Debe ser 1: la factura está en la moneda del pago.', 'CRP20238');
    }
    return dec(1);
  }
  if (d.equivalencia === undefined) {
    p.add(`${ruta}.equivalencia`, `Obligatoria: la factura está en ${d.moneda} y el pago en ${monedaP}.`, 'CRP20237');
    return dec(1);
  }
  const equivalencia = dec(d.equivalencia);
  if (equivalencia.lte(0)) p.add(`${ruta}.equivalencia`, 'Debe ser mayor que cero.');
  return equivalencia;
}

function calcularDocumento(
  p: Problemas,
  ruta: string,
  d: DocumentoRelacionadoInput,
  monedaP: string | undefined,
  fecha: string,
): DocumentoCalculado | undefined {
  const antes = p.lista.length;
  const decimales = decimalesMoneda(p, `${ruta}.moneda`, d.moneda, 'CRP20236', fecha);

  const mismaMoneda = d.moneda === monedaP;
  // An invalid currency is already reported: comparing it would only add noise.
  const equivalencia = decimales === undefined || monedaP === undefined ? dec(1) : equivalenciaDR(p, ruta, d, monedaP);

  const saldoAnt = importe(p, `${ruta}.imp_saldo_ant`, d.imp_saldo_ant, decimales, { positivo: 'CRP20239', decimales: 'CRP20240' });
  const pagado = importe(p, `${ruta}.imp_pagado`, d.imp_pagado, decimales, { positivo: 'CRP20241', decimales: 'CRP20242' });
  const insoluto = saldoAnt.minus(pagado);
  if (insoluto.lt(0)) {
    p.add(
      `${ruta}.imp_pagado`,
      `El importe pagado (${pagado.toFixed()}) excede el saldo anterior de la factura (${saldoAnt.toFixed()}).`,
      'CRP20244',
    );
  } else if (d.imp_saldo_insoluto !== undefined) {
    const dado = importe(p, `${ruta}.imp_saldo_insoluto`, d.imp_saldo_insoluto, decimales, { decimales: 'CRP20243' });
    if (!dado.eq(insoluto)) {
      p.add(
        `${ruta}.imp_saldo_insoluto`,
        `Debe ser ImpSaldoAnt − ImpPagado = ${insoluto.toFixed()}, no ${dado.toFixed()}.`,
        'CRP20244',
      );
    }
  }

  const objeto = d.objeto_imp;
  const traslados = d.impuestos?.traslados ?? [];
  const retenciones = d.impuestos?.retenciones ?? [];
  const conImpuestos = traslados.length + retenciones.length > 0;
  if (!objetoImp(objeto, fecha)) {
    p.add(`${ruta}.objeto_imp`, `${objeto} no es una clave vigente de c_ObjetoImp.`, 'CRP20245');
  } else if (objeto === '02' && !conImpuestos) {
    p.add(`${ruta}.impuestos`, 'ObjetoImpDR 02 exige los impuestos de la factura.', 'CRP20246');
  } else if (OBJETO_SIN_IMPUESTOS.has(objeto) && conImpuestos) {
    p.add(`${ruta}.impuestos`, `Con ObjetoImpDR ${objeto} no se registran impuestos.`, 'CRP20247');
  } else if ((objeto === '06' || objeto === '08') && [...traslados, ...retenciones].some((l) => l.impuesto !== '001')) {
    p.add(`${ruta}.impuestos`, `Con ObjetoImpDR ${objeto} no se registran IVA ni IEPS (solo retención de ISR).`, 'CRP20278');
  } else if (objeto === '07' && ([...traslados, ...retenciones].some((l) => l.impuesto === '002') || !traslados.some((l) => l.impuesto === '003'))) {
    p.add(`${ruta}.impuestos`, 'Con ObjetoImpDR 07 no se registra IVA y se traslada IEPS.', 'CRP20279');
  }

  if (decimales === undefined || p.lista.length > antes) return undefined;
  const impuestosDR = calcularImpuestosDR(p, ruta, d, decimales, saldoAnt, pagado, fecha);
  if (p.lista.length > antes) return undefined;

  return {
    docto: {
      idDocumento: d.uuid.toUpperCase(),
      serie: d.serie,
      folio: d.folio,
      monedaDR: d.moneda,
      equivalenciaDR: equivalencia.toFixed(),
      numParcialidad: String(d.num_parcialidad),
      impSaldoAnt: formatear(saldoAnt, decimales),
      impPagado: formatear(pagado, decimales),
      impSaldoInsoluto: formatear(insoluto, decimales),
      objetoImpDR: objeto,
      impuestosDR,
    },
    pagado,
    equivalencia,
    mismaMoneda,
    decimales,
  };
}

/** ImpuestosP: the documents' ImpuestosDR in the payment's currency, grouped as the SAT requires. */
function impuestosP(documentos: DocumentoCalculado[]): Pago['impuestosP'] {
  const traslados = new Map<string, { t: TrasladoDR; base: Dec; importe?: Dec }>();
  const retenciones = new Map<string, Dec>();
  for (const { docto, equivalencia } of documentos) {
    for (const t of docto.impuestosDR?.trasladosDR ?? []) {
      const clave = `${t.impuestoDR}|${t.tipoFactorDR}|${t.tasaOCuotaDR ?? ''}`;
      const g = traslados.get(clave) ?? { t, base: dec(0), importe: t.importeDR === undefined ? undefined : dec(0) };
      g.base = g.base.plus(dec(t.baseDR).div(equivalencia));
      if (t.importeDR !== undefined) g.importe = g.importe?.plus(dec(t.importeDR).div(equivalencia));
      traslados.set(clave, g);
    }
    for (const r of docto.impuestosDR?.retencionesDR ?? []) {
      retenciones.set(r.impuestoDR, (retenciones.get(r.impuestoDR) ?? dec(0)).plus(dec(r.importeDR).div(equivalencia)));
    }
  }
  if (traslados.size + retenciones.size === 0) return undefined;
  return {
    retencionesP: [...retenciones].map(([impuestoP, importe]) => ({ impuestoP, importeP: formatear(importe, 6) })),
    trasladosP: [...traslados.values()].map(({ t, base, importe }) => ({
      baseP: formatear(base, 6),
      impuestoP: t.impuestoDR,
      tipoFactorP: t.tipoFactorDR,
      tasaOCuotaP: t.tasaOCuotaDR,
      importeP: importe && formatear(importe, 6),
    })),
  };
}

function calcularPago(p: Problemas, ruta: string, pago: PagoInput, fecha: string): Pago | undefined {
  const antes = p.lista.length;
  const fechaP = fechaPago(pago.fecha_pago);
  if (!fechaP) p.add(`${ruta}.fecha_pago`, 'Debe ser una fecha AAAA-MM-DDThh:mm:ss (o AAAA-MM-DD) válida.');

  const forma = pago.forma_pago === '99' ? undefined : formaPago(pago.forma_pago, fecha);
  if (pago.forma_pago === '99') p.add(`${ruta}.forma_pago`, 'La forma de pago de un pago recibido no puede ser 99 (por definir).', 'CRP20212');
  else if (!forma) p.add(`${ruta}.forma_pago`, `${pago.forma_pago} no es una clave vigente de c_FormaPago.`);
  if (forma && !forma.bancarizado) {
    const bancarios = [
      ['rfc_emisor_cta_ord', 'CRP20221'],
      ['cta_ordenante', 'CRP20224'],
      ['rfc_emisor_cta_ben', 'CRP20227'],
      ['cta_beneficiario', 'CRP20228'],
    ] as const;
    for (const [campo, codigo] of bancarios) {
      if (pago[campo] !== undefined) p.add(`${ruta}.${campo}`, `No se registra con la forma de pago ${forma.id} (${forma.texto}).`, codigo);
    }
  }
  if (pago.rfc_emisor_cta_ord === 'XEXX010101000' && pago.nom_banco_ord_ext === undefined) {
    p.add(`${ruta}.nom_banco_ord_ext`, 'Obligatorio cuando el banco ordenante es extranjero (XEXX010101000).', 'CRP20223');
  }

  const decimalesP = decimalesMoneda(p, `${ruta}.moneda`, pago.moneda, 'CRP20213', fecha);
  let tipoCambio = dec(1);
  if (pago.moneda === 'MXN') {
    if (pago.tipo_cambio !== undefined && !dec(pago.tipo_cambio).eq(1)) {
      p.add(`${ruta}.tipo_cambio`, 'Debe ser 1 para pagos en MXN.', 'CRP20215');
    }
  } else if (pago.tipo_cambio === undefined) {
    p.add(`${ruta}.tipo_cambio`, `Obligatorio para un pago en ${pago.moneda}.`, 'CRP20214');
  } else {
    tipoCambio = dec(pago.tipo_cambio);
    if (tipoCambio.lte(0)) p.add(`${ruta}.tipo_cambio`, 'Debe ser mayor que cero.');
  }

  const vistos = new Set<string>();
  const documentos = pago.documentos.map((d, j) => {
    const r = `${ruta}.documentos[${j}]`;
    if (vistos.has(d.uuid.toUpperCase())) p.add(`${r}.uuid`, 'La factura ya está en este pago.');
    vistos.add(d.uuid.toUpperCase());
    return calcularDocumento(p, r, d, decimalesP === undefined ? undefined : pago.moneda, fecha);
  });
  if (decimalesP === undefined || p.lista.length > antes) return undefined;
  const docs = documentos as DocumentoCalculado[];

  // Monto vs the documents (CRP20217 in one currency; CRP20276 with the guía's rounding margins otherwise).
  const exacto = docs.reduce((s, x) => s.plus(x.pagado.div(x.equivalencia)), dec(0));
  const inferior = docs.reduce((s, x) => {
    if (x.mismaMoneda) return s.plus(x.pagado);
    const margenEq = medioUlp(x.equivalencia.decimalPlaces()).minus('1e-10');
    return s.plus(x.pagado.minus(medioUlp(x.decimales)).div(x.equivalencia.plus(margenEq)));
  }, dec(0));
  let monto: Dec;
  if (pago.monto === undefined) {
    // Rounded up, so that it always covers what the documents say was paid.
    monto = exacto.toDecimalPlaces(decimalesP, Decimal.ROUND_UP);
  } else {
    monto = importe(p, `${ruta}.monto`, pago.monto, decimalesP, { positivo: 'CRP20218', decimales: 'CRP20219' });
    if (docs.every((x) => x.mismaMoneda) && exacto.gt(monto)) {
      p.add(`${ruta}.monto`, `Es menor que la suma de lo pagado de las facturas (${exacto.toFixed()}).`, 'CRP20217');
    } else if (inferior.gt(monto)) {
      p.add(
        `${ruta}.monto`,
        `Es menor que lo pagado de las facturas convertido a ${pago.moneda} (${formatear(exacto, decimalesP)}), aun con el margen de redondeo.`,
        'CRP20276',
      );
    }
  }
  if (p.lista.length > antes) return undefined;

  return {
    fechaPago: fechaP as string,
    formaDePagoP: pago.forma_pago,
    monedaP: pago.moneda,
    tipoCambioP: tipoCambio.toFixed(),
    monto: formatear(monto, decimalesP),
    numOperacion: pago.num_operacion,
    rfcEmisorCtaOrd: pago.rfc_emisor_cta_ord,
    nomBancoOrdExt: pago.nom_banco_ord_ext,
    ctaOrdenante: pago.cta_ordenante,
    rfcEmisorCtaBen: pago.rfc_emisor_cta_ben,
    ctaBeneficiario: pago.cta_beneficiario,
    doctoRelacionado: docs.map((x) => x.docto),
    impuestosP: impuestosP(docs),
  };
}

/** Totales: MXN sums over the payments of their Monto and ImpuestosP × TipoCambioP, rounded once. */
function totales(pagos: Pago[]): TotalesPagos {
  const suma = new Map<keyof TotalesPagos, Dec>();
  const sumar = (clave: keyof TotalesPagos, valor: string, tipoCambio: Dec) =>
    suma.set(clave, (suma.get(clave) ?? dec(0)).plus(dec(valor).times(tipoCambio)));
  for (const pago of pagos) {
    const tc = dec(pago.tipoCambioP);
    sumar('montoTotalPagos', pago.monto, tc);
    for (const r of pago.impuestosP?.retencionesP ?? []) sumar(CODIGO_RETENCION[r.impuestoP], r.importeP, tc);
    for (const t of pago.impuestosP?.trasladosP ?? []) {
      if (t.impuestoP !== '002') continue;
      if (t.tipoFactorP === 'Exento') {
        sumar('totalTrasladosBaseIVAExento', t.baseP, tc);
      } else if (t.tasaOCuotaP && TOTALES_IVA[t.tasaOCuotaP]) {
        const [base, impuesto] = TOTALES_IVA[t.tasaOCuotaP];
        sumar(base, t.baseP, tc);
        sumar(impuesto, t.importeP ?? '0', tc);
      }
    }
  }
  const resultado = { montoTotalPagos: '' } as TotalesPagos;
  for (const [clave, valor] of suma) resultado[clave] = formatear(valor, 2);
  return resultado;
}

/**
 * Validates and computes the Pagos 2.0 complement of `pagos` (amounts, ImpuestosDR, ImpuestosP,
 * Totales). `fecha` (the CFDI's, `YYYY-MM-DD…`) selects the catalog entries in force.
 */
export function calcularPagos(pagos: PagoInput[], fecha: string): { ok: true; pagos: Pagos } | { ok: false; errors: ValidationIssue[] } {
  const p = new Problemas();
  const calculados = pagos.map((pago, i) => calcularPago(p, `pagos[${i}]`, pago, fecha));
  // A document paid twice in one CFDI: the later payment starts from the earlier one's balance.
  const saldos = new Map<string, { saldo: string; ruta: string }>();
  calculados.forEach((pago, i) =>
    pago?.doctoRelacionado.forEach((d, j) => {
      const previo = saldos.get(d.idDocumento);
      if (previo && previo.saldo !== d.impSaldoAnt) {
        p.add(`pagos[${i}].documentos[${j}].imp_saldo_ant`, `Debe ser el saldo insoluto que deja ${previo.ruta} (${previo.saldo}).`);
      }
      saldos.set(d.idDocumento, { saldo: d.impSaldoInsoluto, ruta: `pagos[${i}]` });
    }),
  );
  if (p.lista.length) return { ok: false, errors: p.lista };
  const lista = calculados as Pago[];
  return { ok: true, pagos: { version: '2.0', totales: totales(lista), pago: lista } };
}

// ───────────────────────────── XML ─────────────────────────────

/** The pago20:Pagos element, attributes and children in Pagos20.xsd order. */
export function pagosXml(pagos: Pagos): XmlElement {
  const t = pagos.totales;
  return el('pago20:Pagos', { Version: pagos.version }, [
    el('pago20:Totales', {
      TotalRetencionesIVA: t.totalRetencionesIVA,
      TotalRetencionesISR: t.totalRetencionesISR,
      TotalRetencionesIEPS: t.totalRetencionesIEPS,
      TotalTrasladosBaseIVA16: t.totalTrasladosBaseIVA16,
      TotalTrasladosImpuestoIVA16: t.totalTrasladosImpuestoIVA16,
      TotalTrasladosBaseIVA8: t.totalTrasladosBaseIVA8,
      TotalTrasladosImpuestoIVA8: t.totalTrasladosImpuestoIVA8,
      TotalTrasladosBaseIVA0: t.totalTrasladosBaseIVA0,
      TotalTrasladosImpuestoIVA0: t.totalTrasladosImpuestoIVA0,
      TotalTrasladosBaseIVAExento: t.totalTrasladosBaseIVAExento,
      MontoTotalPagos: t.montoTotalPagos,
    }),
    ...pagos.pago.map(pagoXml),
  ]);
}

function pagoXml(p: Pago): XmlElement {
  const imp = p.impuestosP;
  return el(
    'pago20:Pago',
    {
      FechaPago: p.fechaPago,
      FormaDePagoP: p.formaDePagoP,
      MonedaP: p.monedaP,
      TipoCambioP: p.tipoCambioP,
      Monto: p.monto,
      NumOperacion: p.numOperacion,
      RfcEmisorCtaOrd: p.rfcEmisorCtaOrd,
      NomBancoOrdExt: p.nomBancoOrdExt,
      CtaOrdenante: p.ctaOrdenante,
      RfcEmisorCtaBen: p.rfcEmisorCtaBen,
      CtaBeneficiario: p.ctaBeneficiario,
    },
    [
      ...p.doctoRelacionado.map(doctoXml),
      imp &&
        el('pago20:ImpuestosP', {}, [
          imp.retencionesP.length > 0 &&
            el('pago20:RetencionesP', {}, imp.retencionesP.map((r) => el('pago20:RetencionP', { ImpuestoP: r.impuestoP, ImporteP: r.importeP }))),
          imp.trasladosP.length > 0 &&
            el(
              'pago20:TrasladosP',
              {},
              imp.trasladosP.map((t) =>
                el('pago20:TrasladoP', {
                  BaseP: t.baseP,
                  ImpuestoP: t.impuestoP,
                  TipoFactorP: t.tipoFactorP,
                  TasaOCuotaP: t.tasaOCuotaP,
                  ImporteP: t.importeP,
                }),
              ),
            ),
        ]),
    ],
  );
}

function impuestoDRXml(name: string, i: TrasladoDR): XmlElement {
  return el(name, {
    BaseDR: i.baseDR,
    ImpuestoDR: i.impuestoDR,
    TipoFactorDR: i.tipoFactorDR,
    TasaOCuotaDR: i.tasaOCuotaDR,
    ImporteDR: i.importeDR,
  });
}

function doctoXml(d: DoctoRelacionado): XmlElement {
  const imp = d.impuestosDR;
  return el(
    'pago20:DoctoRelacionado',
    {
      IdDocumento: d.idDocumento,
      Serie: d.serie,
      Folio: d.folio,
      MonedaDR: d.monedaDR,
      EquivalenciaDR: d.equivalenciaDR,
      NumParcialidad: d.numParcialidad,
      ImpSaldoAnt: d.impSaldoAnt,
      ImpPagado: d.impPagado,
      ImpSaldoInsoluto: d.impSaldoInsoluto,
      ObjetoImpDR: d.objetoImpDR,
    },
    [
      imp &&
        el('pago20:ImpuestosDR', {}, [
          imp.retencionesDR.length > 0 &&
            el('pago20:RetencionesDR', {}, imp.retencionesDR.map((r) => impuestoDRXml('pago20:RetencionDR', r))),
          imp.trasladosDR.length > 0 &&
            el('pago20:TrasladosDR', {}, imp.trasladosDR.map((t) => impuestoDRXml('pago20:TrasladoDR', t))),
        ]),
    ],
  );
}

/** The complement as model.ts carries it: its node, namespace and schema location. */
export function complementoPagos(pagos: Pagos): Complemento {
  return {
    nodo: pagosXml(pagos),
    namespaces: { pago20: PAGOS20_NAMESPACE },
    schemaLocation: [`${PAGOS20_NAMESPACE} ${PAGOS20_XSD}`],
  };
}

// ───────────────────────────── CFDI tipo P ─────────────────────────────

export type PreparacionPago =
  | { ok: true; comprobante: Comprobante; pagos: Pagos }
  | { ok: false; errors: ValidationIssue[] };

/**
 * Validates `input` (shape, then every rule at once) and builds the CFDI tipo P: the fixed concepto
 * 84111506 / ACT / Pago, SubTotal and Total 0, Moneda XXX, no FormaPago or MetodoPago, uso CP01, with
 * the pago20:Pagos complement. `pagos` is the computed complement (balances, taxes, totals).
 */
export function prepararComplementoPago(input: unknown, emisor: Emisor, opts: { ahora?: Date } = {}): PreparacionPago {
  const parsed = ComplementoPagoInputSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((i) => ({ path: rutaJson(i.path), message: i.message })) };
  }
  const datos = parsed.data;
  const { fecha, errors } = resolverFecha(datos.fecha, emisor.lugarExpedicion, opts.ahora ?? new Date());
  const add = (path: string, message: string, code?: string) => errors.push(code ? { path, message, code } : { path, message });
  validarEmisor(emisor, fecha, add);
  validarReceptor(datos.receptor, emisor, fecha, add);
  const calculo = calcularPagos(datos.pagos, fecha);
  if (!calculo.ok) errors.push(...calculo.errors);
  if (errors.length || !calculo.ok) return { ok: false, errors };

  const r = datos.receptor;
  return {
    ok: true,
    pagos: calculo.pagos,
    comprobante: {
      version: '4.0',
      serie: datos.serie,
      folio: datos.folio,
      fecha,
      subTotal: '0',
      moneda: 'XXX',
      total: '0',
      tipoDeComprobante: 'P',
      exportacion: '01',
      lugarExpedicion: emisor.lugarExpedicion,
      cfdiRelacionados: [],
      emisor: { rfc: emisor.rfc, nombre: emisor.nombre, regimenFiscal: emisor.regimenFiscal },
      receptor: receptorDe(r),
      conceptos: [
        {
          claveProdServ: '84111506',
          cantidad: '1',
          claveUnidad: 'ACT',
          descripcion: 'Pago',
          valorUnitario: '0',
          importe: '0',
          objetoImp: '01',
        },
      ],
      complementos: [complementoPagos(calculo.pagos)],
    },
  };
}

/** prepararComplementoPago → the sealed XML (same CSD checks as emitirCfdi). */
export async function emitirComplementoPago(input: unknown, emisor: Emisor, csd: Csd, opts: { ahora?: Date } = {}): Promise<Emision> {
  const prep = prepararComplementoPago(input, emisor, opts);
  if (!prep.ok) return prep;
  return sellarComprobante(prep.comprobante, emisor, csd);
}

/**
 * What a DoctoRelacionado needs from the invoice it pays, taken from its stored Comprobante: moneda,
 * total, ObjetoImpDR and the tax lines (concept bases summed per impuesto + tipo factor + tasa), ready
 * to be spread into a `documentos[]` entry next to uuid, num_parcialidad and the balances.
 */
export function impuestosDeDocumento(
  c: Comprobante,
): Pick<DocumentoRelacionadoInput, 'moneda' | 'total' | 'objeto_imp' | 'impuestos'> {
  const agrupar = (lineas: { base: string; impuesto: string; tipoFactor: TipoFactor; tasaOCuota?: string }[]) => {
    const grupos = new Map<string, { base: Dec; impuesto: string; tipo_factor: TipoFactor; tasa_o_cuota?: string }>();
    for (const l of lineas) {
      const clave = `${l.impuesto}|${l.tipoFactor}|${l.tasaOCuota ?? ''}`;
      const g = grupos.get(clave) ?? { base: dec(0), impuesto: l.impuesto, tipo_factor: l.tipoFactor, tasa_o_cuota: l.tasaOCuota };
      g.base = g.base.plus(dec(l.base));
      grupos.set(clave, g);
    }
    return [...grupos.values()].map((g) => ({ ...g, base: g.base.toFixed() }));
  };
  const traslados = agrupar(c.conceptos.flatMap((k) => k.impuestos?.traslados ?? []));
  const retenciones = agrupar(c.conceptos.flatMap((k) => k.impuestos?.retenciones ?? []));
  const objetos = new Set(c.conceptos.map((k) => k.objetoImp));
  const conImpuestos = traslados.length + retenciones.length > 0;
  return {
    moneda: c.moneda,
    total: c.total,
    // With taxes the document is objeto de impuesto (02); without, one shared ObjetoImp or else 01.
    objeto_imp: conImpuestos ? '02' : objetos.size === 1 ? [...objetos][0] : '01',
    impuestos: conImpuestos ? { traslados, retenciones } : undefined,
  };
}
