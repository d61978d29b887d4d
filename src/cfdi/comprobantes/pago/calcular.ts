/**
 * The arithmetic of Pagos 2.0 (the guía de llenado's, exact decimals), with the checks of validar.ts run
 * on the way (all problems at once, CRP20xxx codes).
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
import type { Comprobante, TipoFactor } from '../../comprobante';
import { dec, formatear, formatearTasa, type Dec } from '../../decimal';
import { excedeImporte, impuestosRepetidos, Problemas, type ValidationIssue } from '../../validar';
import { DocumentoRelacionadoEntradaSchema, type DoctoRelacionado, type DocumentoRelacionadoEntrada, type DocumentoRelacionadoParcial, type Pago, type PagoParcial, type Pagos, type RetencionDR, type TotalesPagos, type TrasladoDR } from './modelo';
import { decimalesDeMoneda, equivalenciaDR, fechaPago, HFX, importe, tipoCambioP, validarFormaPago, validarLineasDR, validarObjetoImpDR } from './validar';

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

interface DocumentoCalculado {
  docto: DoctoRelacionado;
  pagado: Dec;
  equivalencia: Dec;
  mismaMoneda: boolean;
  decimales: number;
}

type LineaDR<L> = { l: L; ruta: string; retencion: boolean };
type Lineas<D extends DocumentoRelacionadoParcial> = NonNullable<NonNullable<D['impuestos']>['traslados']>[number];

/** The document's tax lines with their paths, retenciones after traslados. */
const lineasDR = <D extends DocumentoRelacionadoParcial>(ruta: string, d: D): LineaDR<Lineas<D>>[] => [
  ...(d.impuestos?.traslados ?? []).map((l, k) => ({ l, ruta: `${ruta}.impuestos.traslados[${k}]`, retencion: false })),
  ...(d.impuestos?.retenciones ?? []).map((l, k) => ({ l, ruta: `${ruta}.impuestos.retenciones[${k}]`, retencion: true })),
];

/** ImpuestosDR of lines already checked: each base prorated to this payment, ImporteDR = BaseDR × TasaOCuotaDR. */
function calcularImpuestosDR(
  p: Problemas,
  lineas: LineaDR<Lineas<DocumentoRelacionadoEntrada>>[],
  total: Dec,
  decimales: number,
  saldoAnt: Dec,
  pagado: Dec,
): DoctoRelacionado['impuestosDR'] {
  if (lineas.length === 0) return undefined;
  // Proportions of the document paid before and after this payment; their difference is this payment's.
  const antes = total.minus(saldoAnt).div(total);
  const despues = total.minus(saldoAnt).plus(pagado).div(total);
  const prorratear = (base: Dec) =>
    base.times(despues).toDecimalPlaces(decimales).minus(base.times(antes).toDecimalPlaces(decimales));

  const impuestos: NonNullable<DoctoRelacionado['impuestosDR']> = { retencionesDR: [], trasladosDR: [] };
  for (const { l, ruta: r, retencion } of lineas) {
    const base = prorratear(dec(l.base));
    if (base.lte(0)) {
      p.add(`${r}.base`, 'El pago es tan pequeño que la base prorrateada (BaseDR) es cero.', retencion ? 'CRP20249' : 'CRP20255');
      continue;
    }
    const tasa = l.tasa_o_cuota === undefined ? undefined : dec(l.tasa_o_cuota);
    const linea = {
      baseDR: formatear(base, decimales),
      impuestoDR: l.impuesto,
      tipoFactorDR: l.tipo_factor as TipoFactor,
      tasaOCuotaDR: tasa && formatearTasa(tasa),
      importeDR: tasa && formatear(base.times(tasa), decimales),
    };
    if (retencion) impuestos.retencionesDR.push(linea as RetencionDR);
    else impuestos.trasladosDR.push(linea);
  }
  return impuestos;
}

/** The document's Total, which HexaFac needs to prorate its taxes; undefined (reported) if missing or below the balance. */
function totalDocumento(p: Problemas, ruta: string, d: DocumentoRelacionadoParcial, saldoAnt: Dec | undefined): Dec | undefined {
  if (d.total === undefined) {
    p.add(`${ruta}.total`, 'Obligatorio con impuestos: los ImpuestosDR se prorratean sobre el total de la factura.', HFX.total);
    return undefined;
  }
  const total = dec(d.total);
  if (saldoAnt && total.lt(saldoAnt)) p.add(`${ruta}.total`, `Es menor que el saldo anterior (${saldoAnt.toFixed()}).`, HFX.total);
  return total;
}

/** Every rule of one DoctoRelacionado; then, if it broke none and parsed whole, its computed node. */
function calcularDocumento(
  p: Problemas,
  ruta: string,
  d: DocumentoRelacionadoParcial,
  monedaP: string | undefined,
  fecha: string,
): DocumentoCalculado | undefined {
  const antes = p.lista.length;
  const decimales = d.moneda === undefined ? undefined : decimalesDeMoneda(p, `${ruta}.moneda`, d.moneda, 'CRP20236', fecha);
  const equivalencia = d.moneda === undefined || monedaP === undefined ? undefined : equivalenciaDR(p, ruta, d.moneda, d.equivalencia, monedaP);

  const cantidad = (campo: 'imp_saldo_ant' | 'imp_pagado' | 'imp_saldo_insoluto', codigos: { positivo?: string; decimales: string }) => {
    const valor = d[campo];
    return valor === undefined ? undefined : importe(p, `${ruta}.${campo}`, valor, decimales, codigos);
  };
  const saldoAnt = cantidad('imp_saldo_ant', { positivo: 'CRP20239', decimales: 'CRP20240' });
  const pagado = cantidad('imp_pagado', { positivo: 'CRP20241', decimales: 'CRP20242' });
  const dado = cantidad('imp_saldo_insoluto', { decimales: 'CRP20243' });
  const insoluto = saldoAnt && pagado && saldoAnt.minus(pagado);
  if (insoluto?.lt(0)) {
    p.add(
      `${ruta}.imp_saldo_insoluto`,
      `Sería negativo: el importe pagado (${pagado!.toFixed()}) excede el saldo anterior de la factura (${saldoAnt!.toFixed()}).`,
      'CRP20244',
    );
  } else if (insoluto && dado && !dado.eq(insoluto)) {
    p.add(`${ruta}.imp_saldo_insoluto`, `Debe ser ImpSaldoAnt − ImpPagado = ${insoluto.toFixed()}, no ${dado.toFixed()}.`, 'CRP20244');
  }

  validarObjetoImpDR(p, ruta, d, fecha);
  const lineas = lineasDR(ruta, d);
  validarLineasDR(p, lineas, fecha);
  // The SAT accepts a line twice (ImpuestosP adds both into one row), but it is the same tax charged twice.
  impuestosRepetidos(d.impuestos?.traslados ?? [], `${ruta}.impuestos.traslados`, 'HFX_IMPUESTO_REPETIDO', p.advertir);
  impuestosRepetidos(d.impuestos?.retenciones ?? [], `${ruta}.impuestos.retenciones`, 'HFX_IMPUESTO_REPETIDO', p.advertir);
  const total = lineas.length ? totalDocumento(p, ruta, d, saldoAnt) : undefined;

  // A field that failed its shape (reported by leerEntrada) leaves nothing to compute.
  const leido = DocumentoRelacionadoEntradaSchema.safeParse(d);
  if (p.lista.length > antes || !leido.success || decimales === undefined || equivalencia === undefined) return undefined;
  const doc = leido.data;
  const [ant, pag] = [dec(doc.imp_saldo_ant), dec(doc.imp_pagado)];
  const impuestosDR = total && calcularImpuestosDR(p, lineasDR(ruta, doc), total, decimales, ant, pag);
  if (p.lista.length > antes) return undefined;

  return {
    docto: {
      idDocumento: doc.uuid.toUpperCase(),
      serie: doc.serie,
      folio: doc.folio,
      monedaDR: doc.moneda,
      equivalenciaDR: equivalencia.toFixed(),
      numParcialidad: String(doc.num_parcialidad),
      impSaldoAnt: formatear(ant, decimales),
      impPagado: formatear(pag, decimales),
      impSaldoInsoluto: formatear(ant.minus(pag), decimales),
      objetoImpDR: doc.objeto_imp,
      impuestosDR,
    },
    pagado: pag,
    equivalencia,
    mismaMoneda: doc.moneda === monedaP,
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

/**
 * The guía's margin of one ImpPagado converted to the payment's currency (CRP20275): lower limit
 * (ImpPagado − ½·10^−d) ÷ (EquivalenciaDR + ½·10^−e − 10^−10) truncated, upper (ImpPagado + ½·10^−d − 10^−10)
 * ÷ (EquivalenciaDR − ½·10^−e) rounded, both to the payment's decimals; d are the decimals ImpPagado is written
 * with (its currency's), e EquivalenciaDR's as written, 10 when it is 1 beside a document in the payment's
 * currency (CRP20277).
 */
export function limitesImpPagado(x: Pick<DocumentoCalculado, 'pagado' | 'equivalencia' | 'decimales'>, decimalesEq: number, decimalesP: number): { inferior: Dec; superior: Dec } {
  const medio = (decimales: number) => dec(10).pow(-decimales).div(2);
  const minimo = dec('1e-10');
  return {
    inferior: x.pagado.minus(medio(x.decimales)).div(x.equivalencia.plus(medio(decimalesEq)).minus(minimo)).toDecimalPlaces(decimalesP, Decimal.ROUND_DOWN),
    superior: x.pagado.plus(medio(x.decimales)).minus(minimo).div(x.equivalencia.minus(medio(decimalesEq))).toDecimalPlaces(decimalesP, Decimal.ROUND_HALF_UP),
  };
}

/**
 * Monto against its documents: in one currency their ImpPagado add up to at most Monto (CRP20217); across
 * currencies their sum converted and truncated to the payment's decimals does, or else Monto lies between
 * the sums of their limits (CRP20276).
 */
function validarMonto(p: Problemas, ruta: string, monto: Dec, docs: DocumentoCalculado[], decimalesP: number): void {
  if (docs.every((x) => x.mismaMoneda)) {
    const suma = docs.reduce((s, x) => s.plus(x.pagado), dec(0));
    if (suma.gt(monto)) p.add(`${ruta}.monto`, `Es menor que la suma de lo pagado de las facturas (${suma.toFixed()}).`, 'CRP20217');
    return;
  }
  const convertido = docs.reduce((s, x) => s.plus(x.pagado.div(x.equivalencia)), dec(0)).toDecimalPlaces(decimalesP, Decimal.ROUND_DOWN);
  if (convertido.lte(monto)) return;
  const conMismaMoneda = docs.some((x) => x.mismaMoneda);
  let inferior = dec(0);
  let superior = dec(0);
  for (const x of docs) {
    const l = limitesImpPagado(x, conMismaMoneda && x.equivalencia.eq(1) ? 10 : x.equivalencia.decimalPlaces(), decimalesP);
    inferior = inferior.plus(l.inferior);
    superior = superior.plus(l.superior);
  }
  if (monto.lt(inferior) || monto.gt(superior)) {
    p.add(
      `${ruta}.monto`,
      `Lo pagado de las facturas convertido es ${convertido.toFixed()}; el monto debe estar entre ${inferior.toFixed()} y ${superior.toFixed()}.`,
      'CRP20276',
    );
  }
}

/** Every rule of one Pago and its documents; then, if they broke none and parsed whole, its computed node. */
function calcularPago(p: Problemas, ruta: string, pago: PagoParcial, fecha: string): Pago | undefined {
  const antes = p.lista.length;
  const fechaP = pago.fecha_pago === undefined ? undefined : fechaPago(pago.fecha_pago);
  if (pago.fecha_pago !== undefined && !fechaP) p.add(`${ruta}.fecha_pago`, 'Debe ser una fecha AAAA-MM-DDThh:mm:ss (o AAAA-MM-DD) válida, de 2010 a 2099.', HFX.fecha);

  validarFormaPago(p, ruta, pago, fecha);

  const monedaP = pago.moneda;
  const decimalesP = monedaP === undefined ? undefined : decimalesDeMoneda(p, `${ruta}.moneda`, monedaP, 'CRP20213', fecha);
  const tipoCambio = monedaP === undefined ? undefined : tipoCambioP(p, ruta, monedaP, pago.tipo_cambio);
  const monto =
    pago.monto === undefined ? undefined : importe(p, `${ruta}.monto`, pago.monto, decimalesP, { positivo: 'CRP20218', decimales: 'CRP20219' });

  const vistos = new Set<string>();
  const documentos = (pago.documentos ?? []).map((d, j) => {
    const r = `${ruta}.documentos[${j}]`;
    const id = d.uuid?.toUpperCase();
    if (id !== undefined && vistos.has(id)) p.add(`${r}.uuid`, 'La factura ya está en este pago.', HFX.repetido);
    if (id !== undefined) vistos.add(id);
    return calcularDocumento(p, r, d, monedaP, fecha);
  });
  if (decimalesP === undefined || pago.documentos === undefined || documentos.some((x) => x === undefined)) return undefined;
  const docs = documentos as DocumentoCalculado[];
  if (monto !== undefined) validarMonto(p, ruta, monto, docs, decimalesP);
  if (p.lista.length > antes || fechaP === undefined || pago.forma_pago === undefined || tipoCambio === undefined) return undefined;

  return {
    fechaPago: fechaP,
    formaDePagoP: pago.forma_pago,
    monedaP: pago.moneda!,
    tipoCambioP: tipoCambio.toFixed(),
    // Without one, the documents converted and rounded up, so that it always covers what they say was paid.
    monto: formatear(monto ?? docs.reduce((s, x) => s.plus(x.pagado.div(x.equivalencia)), dec(0)).toDecimalPlaces(decimalesP, Decimal.ROUND_UP), decimalesP),
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
 * Totales), with the advertencias either way. `fecha` (the CFDI's, `YYYY-MM-DD…`) selects the catalog entries in force.
 */
export function calcularPagos(
  pagos: readonly PagoParcial[],
  fecha: string,
): ({ ok: true; pagos: Pagos } | { ok: false; errors: ValidationIssue[] }) & { advertencias: ValidationIssue[] } {
  const p = new Problemas();
  const calculados = pagos.map((pago, i) => calcularPago(p, `pagos[${i}]`, pago, fecha));
  // A document paid twice in one CFDI: the later payment starts from the earlier one's balance.
  const saldos = new Map<string, { saldo: string; ruta: string }>();
  calculados.forEach((pago, i) =>
    pago?.doctoRelacionado.forEach((d, j) => {
      const previo = saldos.get(d.idDocumento);
      if (previo && previo.saldo !== d.impSaldoAnt) {
        p.add(`pagos[${i}].documentos[${j}].imp_saldo_ant`, `Debe ser el saldo insoluto que deja ${previo.ruta} (${previo.saldo}).`, HFX.saldo);
      }
      saldos.set(d.idDocumento, { saldo: d.impSaldoInsoluto, ruta: `pagos[${i}]` });
    }),
  );
  // A payment left uncomputed broke a rule here or failed its shape in leerEntrada.
  if (p.lista.length || calculados.some((x) => x === undefined)) return { ok: false, errors: p.lista, advertencias: p.advertencias };
  const lista = calculados as Pago[];
  const resultado = { version: '2.0' as const, totales: totales(lista), pago: lista };
  // ImpuestosP divide by EquivalenciaDR and the Totales multiply by TipoCambioP: both can pass t_Importe.
  lista.forEach((pago, i) => {
    const lineas = [...(pago.impuestosP?.trasladosP ?? []), ...(pago.impuestosP?.retencionesP ?? [])];
    if (lineas.some((l) => excedeImporte(l.importeP) || ('baseP' in l && excedeImporte(l.baseP)))) {
      p.add(`pagos[${i}]`, 'Los impuestos del pago (base ÷ equivalencia) exceden los 18 enteros que admite el SAT (t_Importe).', HFX.xsd);
    }
  });
  if (Object.values(resultado.totales).some(excedeImporte)) p.add('pagos', 'Los totales en MXN (monto × tipo de cambio) exceden los 18 enteros que admite el SAT (t_Importe).', HFX.xsd);
  return p.lista.length ? { ok: false, errors: p.lista, advertencias: p.advertencias } : { ok: true, pagos: resultado, advertencias: p.advertencias };
}

/**
 * What a DoctoRelacionado needs from the invoice it pays, taken from its stored Comprobante: moneda,
 * total, ObjetoImpDR and the tax lines (concept bases summed per impuesto + tipo factor + tasa), ready
 * to be spread into a `documentos[]` entry next to uuid, num_parcialidad and the balances.
 */
export function impuestosDeDocumento(
  c: Comprobante,
): Pick<DocumentoRelacionadoEntrada, 'moneda' | 'total' | 'objeto_imp' | 'impuestos'> {
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
