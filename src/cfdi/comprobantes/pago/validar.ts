/**
 * The checks of the SAT's matriz de errores for Pagos 2.0 (CRP20xxx codes) that need no arithmetic: dates,
 * currencies, catalog keys, the taxes a document may carry and the banking data a forma de pago allows.
 * calcular.ts runs them on the way and checks what the amounts must add up to.
 */
import { formaPago, impuesto as buscarImpuesto, moneda as buscarMoneda, objetoImp, reglaTasaCuota } from '../../catalogs';
import { dec, type Dec } from '../../decimal';
import type { Problemas } from '../../validar';
import type { DocumentoRelacionadoEntrada, PagoEntrada } from './modelo';

type ImpuestoDocumentoEntrada = NonNullable<DocumentoRelacionadoEntrada['impuestos']>['traslados'][number];

// ObjetoImpDR values whose DoctoRelacionado may not carry ImpuestosDR (CRP20247).
const OBJETO_SIN_IMPUESTOS = new Set(['01', '03', '04', '05']);

/**
 * FechaPago as `YYYY-MM-DDThh:mm:ss`; a bare date gets 12:00:00 as the guía says. Undefined if invalid, or
 * outside the years t_FechaH's pattern admits (2010–2099, tdCFDI.xsd).
 */
export function fechaPago(valor: string): string | undefined {
  const m = /^(20[1-9]\d)-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2}))?$/.exec(valor);
  if (!m) return undefined;
  const [y, mo, d, h = '12', mi = '00', s = '00'] = m.slice(1);
  const t = new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, +s));
  const valida =
    t.getUTCFullYear() === +y && t.getUTCMonth() === +mo - 1 && t.getUTCDate() === +d && +h < 24 && +mi < 60 && +s < 60;
  return valida ? `${y}-${mo}-${d}T${h}:${mi}:${s}` : undefined;
}

/** Decimals of a currency for a payment or a document; reports XXX (code) or an unknown clave. */
export function decimalesDeMoneda(p: Problemas, ruta: string, clave: string, codigoXXX: string, fecha: string): number | undefined {
  if (clave === 'XXX') {
    p.add(ruta, 'La moneda no puede ser XXX.', codigoXXX);
    return undefined;
  }
  const m = buscarMoneda(clave, fecha);
  if (!m) p.add(ruta, `${clave} no es una clave vigente de c_Moneda.`);
  return m?.decimales;
}

/** An amount in a currency: > 0 and with no more decimals than the currency has. */
export function importe(
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

/** EquivalenciaDR: 1 in the payment's currency (CRP20238), required in another one (CRP20237). */
export function equivalenciaDR(p: Problemas, ruta: string, d: DocumentoRelacionadoEntrada, monedaP: string): Dec {
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


/** The checks of each ImpuestoDR line given for a document (its catalog keys, base and tasa); false if any failed. */
export function validarLineasDR(
  p: Problemas,
  lineas: { l: ImpuestoDocumentoEntrada; ruta: string; retencion: boolean }[],
  fecha: string,
): boolean {
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
  return valido;
}

/** ObjetoImpDR against the taxes given for the document (CRP20245–CRP20247, CRP20278, CRP20279). */
export function validarObjetoImpDR(p: Problemas, ruta: string, d: DocumentoRelacionadoEntrada, fecha: string): void {
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
}

/** FormaDePagoP (never 99) and the banking data it allows (CRP20212, CRP20221–CRP20228). */
export function validarFormaPago(p: Problemas, ruta: string, pago: PagoEntrada, fecha: string): void {
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
}

/** TipoCambioP: 1 for MXN (CRP20215), required in another currency (CRP20214). */
export function tipoCambioP(p: Problemas, ruta: string, pago: PagoEntrada): Dec {
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
  return tipoCambio;
}
