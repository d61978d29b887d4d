/**
 * Complemento para recepción de pagos 2.0: the JSON input of a CFDI tipo P (its shape only; the rules
 * are validar.ts's, the OpenAPI text the routes') and the computed complement, named as in
 * Pagos20.xsd (camelCased); amounts are decimal strings as written in the XML.
 */
import { z } from 'zod';
import type { TipoFactor } from '../../comprobante';
import { clave, decimal, objeto, patron, ReceptorEntradaSchema, texto, UUID, type Parcial } from '../../entrada';
import { RFC_XSD } from '../../rfc';
import { FacturaEntradaSchema } from '../ingreso-egreso';

// Pagos20.xsd's pattern for both accounts; the rules check c_FormaPago's narrower one per forma de pago
// (CRP20225, CRP20226), so the shape takes any text and only documents this one.
const cuenta = () => clave().meta({ pattern: '^[A-Z0-9_]{10,50}$' });
// Pagos20.xsd IdDocumento: a folio fiscal (UUID) or the número de operación of a documento digital.
const ID_DOCUMENTO = new RegExp(`^(${UUID.source.slice(1, -1)}|[0-9]{3}-[0-9]{2}-[0-9]{9})$`);

const ImpuestoDocumentoEntradaSchema = objeto({
  base: decimal(6),
  impuesto: clave(),
  // Any text: outside c_TipoFactor it is CRP20251 / CRP20257, not a shape error.
  tipo_factor: clave().meta({ enum: ['Tasa', 'Cuota', 'Exento'] }),
  tasa_o_cuota: decimal(6).optional(),
});

export const DocumentoRelacionadoEntradaSchema = objeto({
  uuid: patron(ID_DOCUMENTO, 'Debe ser un folio fiscal (UUID)'),
  serie: texto(25, { unaLinea: true }).optional(),
  folio: texto(40, { unaLinea: true }).optional(),
  moneda: clave(),
  equivalencia: decimal(10).optional(),
  num_parcialidad: z.number().int().min(1).max(999),
  imp_saldo_ant: decimal(6),
  imp_pagado: decimal(6),
  imp_saldo_insoluto: decimal(6).optional(),
  objeto_imp: clave(),
  total: decimal(6).optional(),
  impuestos: objeto({
    traslados: z.array(ImpuestoDocumentoEntradaSchema).default([]),
    retenciones: z.array(ImpuestoDocumentoEntradaSchema).default([]),
  }).optional(),
});

const PagoEntradaSchema = objeto({
  fecha_pago: clave(),
  forma_pago: clave(),
  moneda: clave().default('MXN'),
  tipo_cambio: decimal(6).optional(),
  monto: decimal(6).optional(),
  num_operacion: texto(100).optional(),
  rfc_emisor_cta_ord: patron(RFC_XSD.ordenante, 'RFC inválido').optional(),
  nom_banco_ord_ext: texto(300).optional(),
  cta_ordenante: cuenta().optional(),
  rfc_emisor_cta_ben: patron(RFC_XSD.moral, 'RFC de persona moral inválido').optional(),
  cta_beneficiario: cuenta().optional(),
  documentos: z.array(DocumentoRelacionadoEntradaSchema).min(1),
});

export const ComplementoPagoEntradaSchema = objeto({
  ...FacturaEntradaSchema.pick({ serie: true, folio: true, fecha: true }).shape,
  receptor: objeto({ ...ReceptorEntradaSchema.shape, uso_cfdi: z.literal('CP01').default('CP01') }),
  pagos: z.array(PagoEntradaSchema).min(1),
});

export type ComplementoPagoEntrada = z.infer<typeof ComplementoPagoEntradaSchema>;
export type PagoEntrada = z.infer<typeof PagoEntradaSchema>;
export type DocumentoRelacionadoEntrada = z.infer<typeof DocumentoRelacionadoEntradaSchema>;
/** The input as far as it parsed: what the rules run over when a field failed its shape. */
export type PagoParcial = Parcial<PagoEntrada>;
export type DocumentoRelacionadoParcial = Parcial<DocumentoRelacionadoEntrada>;

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

