/**
 * The checks of the SAT's matriz de errores for Pagos 2.0 (CRP20xxx codes) that need no arithmetic: dates,
 * currencies, catalog keys, the taxes a document may carry and the banking data a forma de pago allows.
 * Each rule is applied on its own, as the matrix states it, so one input reports every rule it breaks; the
 * rules run over the fields that parsed, and a rule whose field failed its shape (absent here) is skipped.
 * calcular.ts runs them on the way and checks what the amounts must add up to.
 */
import { formaPago, impuesto as buscarImpuesto, moneda as buscarMoneda, objetoImp, reglaTasaCuota, tipoFactor } from '../../catalogs';
import { dec, type Dec } from '../../decimal';
import { cumplePatronSat, type Problemas } from '../../validar';
import type { DocumentoRelacionadoParcial, PagoParcial } from './modelo';

type ImpuestoDocumentoParcial = NonNullable<NonNullable<DocumentoRelacionadoParcial['impuestos']>['traslados']>[number];

/**
 * HexaFac's codes for what the input must be beyond the matrix: the shared ones of CODIGOS_HFX (validar.ts)
 * and those only a payment has (the values HexaFac computes from).
 */
export const HFX = {
  /** FechaPago is not a t_FechaH (AAAA-MM-DDThh:mm:ss, years 2010–2099). */
  fecha: 'HFX_FORMATO',
  /** TipoCambioP and EquivalenciaDR are positive, a computed amount within t_Importe (Pagos20.xsd). */
  xsd: 'HFX_XSD',
  /** A clave that is not in force in its catalog where the matrix has no code (c_FormaPago, c_Moneda). */
  catalogo: 'HFX_CLAVE_CATALOGO',
  /** A document with taxes needs its Total to prorate them; it cannot be below the balance. */
  total: 'HFX_TOTAL_DOCUMENTO',
  /** The same document twice in one payment. */
  repetido: 'HFX_DOCUMENTO_REPETIDO',
  /** A document paid twice in one CFDI starts the second time from the balance the first left. */
  saldo: 'HFX_SALDO_ENCADENADO',
} as const;

// ObjetoImpDR values whose DoctoRelacionado may not carry ImpuestosDR (CRP20247).
const OBJETO_SIN_IMPUESTOS = new Set(['01', '03', '04', '05']);

/**
 * The banking data of a payment and the c_FormaPago columns that admit it (CRP20221, CRP20224, CRP20227,
 * CRP20228) and give the account's pattern (CRP20225, CRP20226).
 */
const CAMPOS_BANCARIOS = [
  { campo: 'rfc_emisor_cta_ord', permite: 'permiteRfcBancoOrdenante', noPermitido: 'CRP20221' },
  { campo: 'cta_ordenante', permite: 'permiteCuentaOrdenante', noPermitido: 'CRP20224', patron: 'patronCuentaOrdenante', fueraDePatron: 'CRP20225' },
  { campo: 'rfc_emisor_cta_ben', permite: 'permiteRfcBancoBeneficiario', noPermitido: 'CRP20227' },
  { campo: 'cta_beneficiario', permite: 'permiteCuentaBeneficiario', noPermitido: 'CRP20228', patron: 'patronCuentaBeneficiario', fueraDePatron: 'CRP20226' },
] as const;

/**
 * FechaPago as `YYYY-MM-DDThh:mm:ss`; a bare date gets 12:00:00 as the guía says. Undefined if invalid, or
 * outside the years t_FechaH's pattern admits (2010–2099, tdCFDI.xsd). The matrix sets no other bound.
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
  if (!m) p.add(ruta, `${clave} no es una clave vigente de c_Moneda.`, HFX.catalogo);
  return m?.decimales;
}

/** An amount in a currency: > 0 where the matrix says so, and with no more decimals than the currency has. */
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
export function equivalenciaDR(p: Problemas, ruta: string, monedaDR: string, valor: string | number | undefined, monedaP: string): Dec {
  if (monedaDR === monedaP) {
    if (valor !== undefined && !dec(valor).eq(1)) p.add(`${ruta}.equivalencia`, 'Debe ser 1: la factura está en la moneda del pago.', 'CRP20238');
    return dec(1);
  }
  if (valor === undefined) {
    p.add(`${ruta}.equivalencia`, `Obligatoria: la factura está en ${monedaDR} y el pago en ${monedaP}.`, 'CRP20237');
    return dec(1);
  }
  const equivalencia = dec(valor);
  if (equivalencia.lte(0)) p.add(`${ruta}.equivalencia`, 'Debe ser mayor que cero.', HFX.xsd);
  return equivalencia;
}

/** The codes of one rule for a RetencionDR and a TrasladoDR. */
const CODIGOS_DR = {
  base: { retencion: 'CRP20249', traslado: 'CRP20255' },
  impuesto: { retencion: 'CRP20250', traslado: 'CRP20256' },
  tipoFactor: { retencion: 'CRP20251', traslado: 'CRP20257' },
  tasa: { retencion: 'CRP20253', traslado: 'CRP20260' },
} as const;

// c_TasaOCuota lists IVA 8 % (the franja fronteriza's stimulus) under "IVA Crédito aplicado del 50%", a name
// c_Impuesto does not have, so looking it up by 002 misses it; the matrix counts it as IVA (CRP20206, CRP20207).
/** Whether c_TasaOCuota admits `valor` for this impuesto, factor and use (IVA 8 % included: catalogs.reglaTasaCuota). */
const tasaOCuotaDR = (impuesto: string, factor: string, valor: string | number, uso: 'traslado' | 'retencion', fecha: string): boolean =>
  reglaTasaCuota(impuesto, factor, valor, uso, fecha) !== undefined;

/** The checks of each ImpuestoDR line given for a document (its catalog keys, base and tasa). */
export function validarLineasDR(
  p: Problemas,
  lineas: { l: ImpuestoDocumentoParcial; ruta: string; retencion: boolean }[],
  fecha: string,
): void {
  for (const { l, ruta: r, retencion } of lineas) {
    const uso = retencion ? 'retencion' : 'traslado';
    if (l.impuesto !== undefined && !buscarImpuesto(l.impuesto, fecha)) p.add(`${r}.impuesto`, `${l.impuesto} no es una clave de c_Impuesto.`, CODIGOS_DR.impuesto[uso]);
    if (l.base !== undefined && dec(l.base).lte(0)) p.add(`${r}.base`, 'Debe ser mayor que cero.', CODIGOS_DR.base[uso]);
    if (l.tipo_factor === undefined) continue;
    if (!tipoFactor(l.tipo_factor, fecha)) {
      p.add(`${r}.tipo_factor`, `${l.tipo_factor} no es una clave de c_TipoFactor.`, CODIGOS_DR.tipoFactor[uso]);
    } else if (l.tipo_factor === 'Exento') {
      if (retencion) p.add(`${r}.tipo_factor`, 'Una retención no puede ser Exento.', 'CRP20252');
      else if (l.tasa_o_cuota !== undefined) p.add(`${r}.tasa_o_cuota`, 'Un traslado Exento no lleva tasa o cuota.', 'CRP20258');
    } else if (l.tasa_o_cuota === undefined) {
      p.add(`${r}.tasa_o_cuota`, `Obligatoria con tipo de factor ${l.tipo_factor}.`, retencion ? 'CRP20253' : 'CRP20259');
    } else if (l.impuesto !== undefined && !tasaOCuotaDR(l.impuesto, l.tipo_factor, l.tasa_o_cuota, uso, fecha)) {
      p.add(
        `${r}.tasa_o_cuota`,
        `${l.tasa_o_cuota} no es una ${retencion ? 'retención' : 'traslado'} de c_TasaOCuota para ${l.impuesto} ${l.tipo_factor}.`,
        CODIGOS_DR.tasa[uso],
      );
    }
  }
}

/** ObjetoImpDR against the ImpuestosDR node given for the document (CRP20245–CRP20248, CRP20278, CRP20279). */
export function validarObjetoImpDR(p: Problemas, ruta: string, d: DocumentoRelacionadoParcial, fecha: string): void {
  const objeto = d.objeto_imp;
  const traslados = d.impuestos?.traslados ?? [];
  const lineas = [...traslados, ...(d.impuestos?.retenciones ?? [])];
  const conNodo = d.impuestos !== undefined;
  // What the node must contain is judged only when none of its lines failed its shape (a failed list is absent).
  const trasladosLeidos = d.impuestos?.traslados !== undefined && traslados.every((l) => l.impuesto !== undefined);
  const nodoLeido = !conNodo || (trasladosLeidos && d.impuestos?.retenciones !== undefined);
  if (conNodo && nodoLeido && lineas.length === 0) p.add(`${ruta}.impuestos`, 'Si se registran impuestos debe haber traslados o retenciones.', 'CRP20248');
  if (objeto === undefined) return;
  if (!objetoImp(objeto, fecha)) {
    p.add(`${ruta}.objeto_imp`, `${objeto} no es una clave vigente de c_ObjetoImp.`, 'CRP20245');
  } else if (objeto === '02' && !conNodo) {
    p.add(`${ruta}.impuestos`, 'ObjetoImpDR 02 exige los impuestos de la factura.', 'CRP20246');
  } else if (OBJETO_SIN_IMPUESTOS.has(objeto) && conNodo) {
    p.add(`${ruta}.impuestos`, `Con ObjetoImpDR ${objeto} no se registran impuestos.`, 'CRP20247');
  } else if ((objeto === '06' || objeto === '08') && lineas.some((l) => l.impuesto === '002' || l.impuesto === '003')) {
    p.add(`${ruta}.impuestos`, `Con ObjetoImpDR ${objeto} no se registran IVA ni IEPS (solo retención de ISR).`, 'CRP20278');
  } else if (
    objeto === '07' &&
    (lineas.some((l) => l.impuesto === '002') || ((!conNodo || trasladosLeidos) && !traslados.some((l) => l.impuesto === '003')))
  ) {
    p.add(`${ruta}.impuestos`, 'Con ObjetoImpDR 07 no se registra IVA y se traslada IEPS.', 'CRP20279');
  }
}

/** FormaDePagoP (never 99) and the banking data it allows (CRP20212, CRP20221–CRP20228). */
export function validarFormaPago(p: Problemas, ruta: string, pago: PagoParcial, fecha: string): void {
  if (pago.rfc_emisor_cta_ord === 'XEXX010101000' && pago.nom_banco_ord_ext === undefined) {
    p.add(`${ruta}.nom_banco_ord_ext`, 'Obligatorio cuando el banco ordenante es extranjero (XEXX010101000).', 'CRP20223');
  }
  const forma = pago.forma_pago;
  if (forma === undefined) return;
  const catalogo = formaPago(forma, fecha);
  if (forma === '99') p.add(`${ruta}.forma_pago`, 'La forma de pago de un pago recibido no puede ser 99 (por definir).', 'CRP20212');
  else if (!catalogo) p.add(`${ruta}.forma_pago`, `${forma} no es una clave vigente de c_FormaPago.`, HFX.catalogo);
  // c_FormaPago lets 99 (por definir, not bancarizada) carry any account (\V*); the matrix's lists of formas
  // that admit the banking data are its bancarizadas only.
  const bancaria = catalogo?.bancarizado === true;
  for (const c of CAMPOS_BANCARIOS) {
    const valor = pago[c.campo];
    if (valor === undefined) continue;
    if (!bancaria || !catalogo[c.permite]) p.add(`${ruta}.${c.campo}`, `No se registra con la forma de pago ${forma}.`, c.noPermitido);
    else if ('patron' in c) {
      const patron = catalogo[c.patron];
      if (patron !== undefined && !cumplePatronSat(patron, valor)) {
        p.add(`${ruta}.${c.campo}`, `Con la forma de pago ${forma} la cuenta debe cumplir ${patron} (c_FormaPago).`, c.fueraDePatron);
      }
    }
  }
}

/** TipoCambioP: 1 for MXN (CRP20215), required in another currency (CRP20214). */
export function tipoCambioP(p: Problemas, ruta: string, monedaP: string, valor: string | number | undefined): Dec {
  let tipoCambio = dec(1);
  if (monedaP === 'MXN') {
    if (valor !== undefined && !dec(valor).eq(1)) p.add(`${ruta}.tipo_cambio`, 'Debe ser 1 para pagos en MXN.', 'CRP20215');
  } else if (valor === undefined) {
    p.add(`${ruta}.tipo_cambio`, `Obligatorio para un pago en ${monedaP}.`, 'CRP20214');
  } else {
    tipoCambio = dec(valor);
    if (tipoCambio.lte(0)) p.add(`${ruta}.tipo_cambio`, 'Debe ser mayor que cero.', HFX.xsd);
  }
  return tipoCambio;
}
