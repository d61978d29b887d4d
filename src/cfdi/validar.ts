/**
 * What every kind of comprobante checks the same way: the emisor and the receptor (Anexo 20), every
 * problem collected with the JSON path of its field and, where the SAT's matriz de errores has one,
 * its code.
 */
import * as cat from './catalogs';
import type { Comprobante, Emisor } from './comprobante';
import { dec } from './decimal';
import type { Parcial, ReceptorEntrada } from './entrada';
import { esRfcGenerico, NOMBRE_PUBLICO_EN_GENERAL, personaDeRfc, problemaRfc, RFC_EXTRANJERO, RFC_PUBLICO_EN_GENERAL } from './rfc';

export interface ValidationIssue {
  /** Path in the input, e.g. "conceptos[0].impuestos.traslados[1].tasa_o_cuota". */
  path: string;
  message: string;
  /** The SAT's code (CFDI40xxx, CRP20xxx) where its matriz de errores has one, else HexaFac's (HFX_…, CODIGOS_HFX). */
  code?: string;
}

/**
 * HexaFac's own codes, for what no rule of the SAT's matrices names: the input's shape, what the XSD or the
 * guía de llenado refuse, and the advertencias (what the SAT accepts but a contador would question).
 * docs/reglas-sat.md lists them.
 */
export const CODIGOS_HFX = {
  HFX_CAMPO_DESCONOCIDO: { tipo: 'error', texto: 'Un campo que la API no tiene (p. ej. confirmacion, cuenta_predial): se rechaza en vez de ignorarlo.' },
  HFX_CAMPO_REQUERIDO: { tipo: 'error', texto: 'Falta un campo obligatorio (por el XSD, o por la guía de llenado: forma_pago y metodo_pago en ingreso y egreso).' },
  HFX_FORMATO: { tipo: 'error', texto: 'El valor no tiene la forma del campo (tipo, patrón, longitud, caracteres que un CFDI no admite).' },
  HFX_XSD: {
    tipo: 'error',
    texto: 'Un valor que cfdv40.xsd o Pagos20.xsd no admite y ninguna regla de la matriz nombra (p. ej. Cantidad o TipoCambio menores que 0.000001).',
  },
  HFX_CLAVE_CATALOGO: { tipo: 'error', texto: 'Una clave que no está en su catálogo del SAT donde la matriz no da código propio.' },
  HFX_TOTAL_DOCUMENTO: { tipo: 'error', texto: 'Complemento de pago: lo pagado de un documento no cuadra con su saldo (ImpSaldoAnt − ImpPagado ≠ ImpSaldoInsoluto).' },
  HFX_DOCUMENTO_REPETIDO: { tipo: 'error', texto: 'Complemento de pago: el mismo documento dos veces en un pago.' },
  HFX_SALDO_ENCADENADO: { tipo: 'error', texto: 'Complemento de pago: una factura pagada dos veces en un CFDI debe encadenar su saldo (el anterior del segundo es el insoluto del primero).' },
  HFX_RECEPTOR_DOBLE: { tipo: 'error', texto: 'La solicitud trae `receptor` y `cliente_id`: uno u otro.' },
  HFX_RECEPTOR_FALTANTE: { tipo: 'error', texto: 'La solicitud no trae ni `receptor` ni `cliente_id`.' },
  HFX_SUSTITUCION_OTRO_RECEPTOR: { tipo: 'error', texto: 'En una sustitución (motivo 01) el CFDI nuevo es del mismo RFC receptor que el sustituido.' },
  HFX_DOCUMENTO_INVALIDO: { tipo: 'error', texto: 'Un CFDI relacionado o pagado que no es de esta aplicación, es de otro receptor, no está vigente o no admite la operación (p. ej. un pago a una factura PUE).' },
  HFX_EXCEDE_SALDO: { tipo: 'error', texto: 'Lo pagado o acreditado excede el saldo insoluto de la factura (total − pagos − notas de crédito).' },
  HFX_SALDO_ANTERIOR: { tipo: 'error', texto: 'El ImpSaldoAnt dado no es el saldo de la factura que HexaFac lleva.' },
  HFX_PARCIALIDAD: { tipo: 'error', texto: 'El NumParcialidad dado no es el siguiente de la factura.' },
  HFX_RELACION_NOTA: { tipo: 'error', texto: 'Una nota de crédito se relaciona con tipo_relacion 01.' },
  HFX_CSD_OTRO_RFC: { tipo: 'error', texto: 'El CSD cargado es de otro RFC que el emisor.' },
  HFX_CSD_NO_VIGENTE: { tipo: 'error', texto: 'El CSD cargado no está vigente en la Fecha del comprobante.' },
  HFX_USO_CFDI_EXTRANJERO: { tipo: 'error', texto: 'Con el RFC genérico extranjero XEXX010101000 el UsoCFDI es S01 (guía de llenado, UsoCFDI).' },
  HFX_XML_MAL_FORMADO: { tipo: 'error', texto: 'CFDI recibido (POST /cfdi/verificar): no es XML bien formado o no se puede decodificar; el detalle da línea y columna.' },
  HFX_NO_ES_CFDI40: { tipo: 'error', texto: 'CFDI recibido: el elemento raíz no es un cfdi:Comprobante 4.0 (p. ej. un CFDI 3.3).' },
  HFX_MONEDA_TRASLADO: { tipo: 'error', texto: 'Un traslado sin Carta Porte con moneda distinta de XXX (con Carta Porte es CP103).' },
  HFX_TRANSPORTE_NO_SOPORTADO: {
    tipo: 'error',
    texto: 'Carta Porte con transporte marítimo, aéreo o ferroviario: HexaFac emite solo autotransporte federal (la respuesta nombra lo soportado).',
  },
  HFX_FORMA_PAGO_99_PUE: { tipo: 'advertencia', texto: 'Forma de pago 99 (Por definir) con método PUE: el SAT lo acepta, pero un pago en una exhibición ya tiene forma conocida.' },
  HFX_MONEDA_XXX: { tipo: 'advertencia', texto: 'Moneda XXX (sin moneda) en un ingreso o egreso: el SAT la reserva en la guía para traslado y pago.' },
  HFX_USO_CFDI_TIPO: { tipo: 'advertencia', texto: 'UsoCFDI CP01 (Pagos) o CN01 (Nómina) en un ingreso o egreso.' },
  HFX_INFORMACION_GLOBAL_SIN_PUBLICO: { tipo: 'advertencia', texto: 'InformacionGlobal en un comprobante que no es de ingreso a PUBLICO EN GENERAL (XAXX010101000).' },
  HFX_EGRESO_SIN_RELACION: { tipo: 'advertencia', texto: 'Egreso sin CfdiRelacionados y con forma de pago distinta de 23 (Novación), el único caso que la guía admite sin relación.' },
  HFX_IMPUESTO_REPETIDO: {
    tipo: 'advertencia',
    texto: 'El mismo impuesto, factor y tasa dos veces en un concepto o documento relacionado: se cobra o retiene dos veces sobre la misma base.',
  },
  HFX_IVA_FRANJA_FUERA: { tipo: 'advertencia', texto: 'IVA 8 % (estímulo de la franja fronteriza) con un LugarExpedicion fuera de la franja.' },
  HFX_IVA_FRANJA_CLAVE: { tipo: 'advertencia', texto: 'IVA 8 % con una ClaveProdServ que c_ClaveProdServ excluye del estímulo de la franja fronteriza.' },
} as const satisfies Record<string, { tipo: 'error' | 'advertencia'; texto: string }>;

export type CodigoHfx = keyof typeof CODIGOS_HFX;

/** Collects problems and advertencias; `add` keeps the code only where one exists. */
export class Problemas {
  readonly lista: ValidationIssue[] = [];
  readonly advertencias: ValidationIssue[] = [];
  readonly add = (path: string, message: string, code?: string): void => {
    this.lista.push(code ? { path, message, code } : { path, message });
  };
  /** What the SAT accepts but a contador would question: reported, never a reason to refuse. */
  readonly advertir = (path: string, message: string, code: CodigoHfx): void => {
    this.advertencias.push({ path, message, code });
  };
}

export type Add = Problemas['add'];

/**
 * Whether `valor` matches a pattern of the SAT's catalogs (c_Pais, c_FormaPago): the SAT writes them for
 * the whole value, with alternatives joined by `|`, so the match is anchored around all of them.
 */
export const cumplePatronSat = (patron: string, valor: string) => new RegExp(`^(?:${patron})$`).test(valor);

/** t_Importe (tdCFDI.xsd, pattern [0-9]{1,18}(.[0-9]{1,6})?): a computed amount past 18 integer digits makes XML the XSD refuses. */
export const excedeImporte = (valor: string | undefined) => valor !== undefined && valor.split('.')[0]!.length > 18;

/**
 * Every computed amount of a I/E comprobante within t_Importe, reported at the input that produced it
 * (each input is within bounds; products and sums can pass them): a concepto's Importe (CFDI40167) and its
 * impuestos (CFDI40180, CFDI40186); the sums have no code of their own. A Total the retenciones make
 * negative has no value that satisfies CFDI40119 (t_Importe has no sign; the guía: "No se permiten valores
 * negativos").
 */
export function importesEnRango(c: Pick<Comprobante, 'subTotal' | 'descuento' | 'total' | 'conceptos' | 'impuestos'>, add: Add): void {
  const mensaje = (campo: string) => `${campo} calculado excede los 18 enteros que admite el SAT (t_Importe).`;
  c.conceptos.forEach((k, n) => {
    if (excedeImporte(k.importe)) add(`conceptos[${n}].cantidad`, mensaje('El importe (cantidad × valor_unitario)'), 'CFDI40167');
    k.impuestos?.traslados.forEach((t, j) => {
      if (excedeImporte(t.base) || excedeImporte(t.importe)) add(`conceptos[${n}].impuestos.traslados[${j}]`, mensaje('El traslado'), 'CFDI40180');
    });
    k.impuestos?.retenciones.forEach((r, j) => {
      if (excedeImporte(r.base) || excedeImporte(r.importe)) add(`conceptos[${n}].impuestos.retenciones[${j}]`, mensaje('La retención'), 'CFDI40186');
    });
  });
  const i = c.impuestos;
  const sumas = [c.subTotal, c.descuento, c.total, i?.totalImpuestosTrasladados, i?.totalImpuestosRetenidos, ...(i?.traslados ?? []).flatMap((t) => [t.base, t.importe])];
  if (sumas.some(excedeImporte)) add('conceptos', mensaje('La suma de los conceptos (SubTotal, Total o impuestos)'), 'HFX_XSD');
  if (dec(c.total).isNegative()) {
    add('conceptos', `El total (subtotal − descuentos + traslados − retenciones) sería ${c.total}: no puede ser negativo.`, 'CFDI40119');
  }
}

/**
 * The same impuesto, factor and tasa twice in one concepto (or documento relacionado) charges or withholds
 * it twice over the same base; `add` says what that is for the caller (an error with the matrix's code, or
 * an advertencia where the summary's grouping makes the SAT accept it). Lines missing a key are skipped.
 */
export function impuestosRepetidos<C extends string>(
  lineas: readonly { impuesto?: string; tipo_factor?: string; tasa_o_cuota?: string | number }[],
  path: string,
  code: C,
  add: (path: string, message: string, code: C) => void,
): void {
  const vistos = new Map<string, number>();
  lineas.forEach((l, j) => {
    if (l.impuesto === undefined || l.tipo_factor === undefined) return;
    const tasa = l.tasa_o_cuota === undefined ? '' : dec(l.tasa_o_cuota).toFixed(6);
    const primera = vistos.get(`${l.impuesto}|${l.tipo_factor}|${tasa}`);
    if (primera === undefined) vistos.set(`${l.impuesto}|${l.tipo_factor}|${tasa}`, j);
    else add(`${path}[${j}]`, `Repite el impuesto ${l.impuesto} ${l.tipo_factor}${tasa && ` ${tasa}`} de ${path}[${primera}]: cada combinación va una sola vez.`, code);
  });
}

/** LugarExpedicion in c_CodigoPostal (CFDI40126). */
export function validarEmisor(emisor: Emisor, fecha: string, add: Add) {
  const rfc = problemaRfc(emisor.rfc);
  if (rfc) add('emisor.rfc', rfc.message, rfc.code);
  else if (esRfcGenerico(emisor.rfc)) add('emisor.rfc', `El RFC del emisor ${emisor.rfc} no es válido.`, 'rfc_formato');
  if (!emisor.nombre.trim()) add('emisor.nombre', 'El nombre del emisor es obligatorio.', 'HFX_CAMPO_REQUERIDO');
  const regimen = cat.regimenFiscal(emisor.regimenFiscal, fecha);
  if (!regimen) add('emisor.regimen_fiscal', `El régimen fiscal ${emisor.regimenFiscal} del emisor no está en el catálogo c_RegimenFiscal.`, 'CFDI40140');
  else if (!(personaDeRfc(emisor.rfc) === 'moral' ? regimen.aplicaMoral : regimen.aplicaFisica)) {
    add('emisor.regimen_fiscal', `El régimen fiscal ${regimen.id} no aplica a una persona ${personaDeRfc(emisor.rfc) === 'moral' ? 'moral' : 'física'}.`, 'CFDI40141');
  }
  if (!cat.codigoPostal(emisor.lugarExpedicion)) {
    add('emisor.lugar_expedicion', `El lugar de expedición ${emisor.lugarExpedicion} no es un código postal del catálogo c_CodigoPostal.`, 'CFDI40126');
  }
}

const persona = (rfc: string) => (personaDeRfc(rfc) === 'moral' ? 'moral' : 'física');

/**
 * Receptor rules shared by every tipo de comprobante, over the fields that are well formed (a field that
 * failed its shape is absent and its rules are skipped).
 */
export function validarReceptor(r: Parcial<ReceptorEntrada>, emisor: Emisor, fecha: string, add: Add) {
  const rfcValido = r.rfc !== undefined && !problemaRfc(r.rfc);
  if (r.rfc !== undefined && !rfcValido) {
    const rfc = problemaRfc(r.rfc)!;
    add('receptor.rfc', rfc.message, rfc.code);
  }
  if (r.nombre === NOMBRE_PUBLICO_EN_GENERAL && r.rfc !== undefined && r.rfc !== RFC_PUBLICO_EN_GENERAL) {
    add('receptor.rfc', `Con el nombre ${NOMBRE_PUBLICO_EN_GENERAL} el RFC debe ser ${RFC_PUBLICO_EN_GENERAL}.`, 'CFDI40146');
  }

  // The matrix checks the domicilio against l_RFC (CFDI40147): a CP that is not in c_CodigoPostal is no one's.
  if (r.domicilio_fiscal !== undefined && !cat.codigoPostal(r.domicilio_fiscal)) {
    add('receptor.domicilio_fiscal', `El domicilio fiscal ${r.domicilio_fiscal} no es un código postal del catálogo c_CodigoPostal.`, 'CFDI40147');
  } else if (r.rfc !== undefined && esRfcGenerico(r.rfc) && r.domicilio_fiscal !== undefined && r.domicilio_fiscal !== emisor.lugarExpedicion) {
    add('receptor.domicilio_fiscal', `Con un RFC genérico el domicilio fiscal del receptor debe ser igual al lugar de expedición (${emisor.lugarExpedicion}).`, 'CFDI40149');
  }

  const extranjero = r.rfc === RFC_EXTRANJERO;
  // MEX is no residencia fiscal (CFDI40152), so its pattern (an RFC) never applies to NumRegIdTrib.
  const pais = r.residencia_fiscal === 'MEX' ? undefined : cat.pais(r.residencia_fiscal);
  if (r.residencia_fiscal !== undefined) {
    if (r.rfc !== undefined && !extranjero) add('receptor.residencia_fiscal', `La residencia fiscal solo se registra con el RFC genérico extranjero ${RFC_EXTRANJERO}.`, 'CFDI40151');
    if (r.residencia_fiscal === 'MEX') add('receptor.residencia_fiscal', 'La residencia fiscal no puede ser MEX.', 'CFDI40152');
    else if (!pais) add('receptor.residencia_fiscal', `${r.residencia_fiscal} no está en el catálogo c_Pais.`, 'CFDI40150');
  }
  if (r.num_reg_id_trib !== undefined) {
    if (r.rfc !== undefined && !extranjero) add('receptor.num_reg_id_trib', `El NumRegIdTrib solo se registra con el RFC genérico extranjero ${RFC_EXTRANJERO}.`, 'CFDI40154');
    if (r.residencia_fiscal === undefined) add('receptor.residencia_fiscal', 'Si se registra num_reg_id_trib debe registrarse la residencia fiscal.', 'CFDI40153');
    // Most countries have no «Formato de Registro de Identidad Tributaria» in c_Pais: no format to check.
    const patron = pais?.patronIdentidadTributaria;
    if (patron !== undefined && !cumplePatronSat(patron, r.num_reg_id_trib)) {
      add('receptor.num_reg_id_trib', `El NumRegIdTrib no cumple el patrón ${patron} de ${r.residencia_fiscal} (c_Pais).`, 'CFDI40156');
    }
  }

  const regimen = r.regimen_fiscal === undefined ? undefined : cat.regimenFiscal(r.regimen_fiscal, fecha);
  if (r.regimen_fiscal !== undefined && !regimen) add('receptor.regimen_fiscal', `El régimen fiscal ${r.regimen_fiscal} no está en el catálogo c_RegimenFiscal.`, 'CFDI40157');
  else if (regimen && rfcValido && esRfcGenerico(r.rfc!) && regimen.id !== '616') {
    add('receptor.regimen_fiscal', 'Con un RFC genérico el régimen fiscal del receptor debe ser 616 (Sin obligaciones fiscales).', 'CFDI40159');
  } else if (regimen && rfcValido && !(personaDeRfc(r.rfc!) === 'moral' ? regimen.aplicaMoral : regimen.aplicaFisica)) {
    add('receptor.regimen_fiscal', `El régimen fiscal ${regimen.id} no aplica a una persona ${persona(r.rfc!)}.`, 'CFDI40158');
  }

  const uso = r.uso_cfdi === undefined ? undefined : cat.usoCfdi(r.uso_cfdi, fecha);
  if (r.uso_cfdi !== undefined && !uso) add('receptor.uso_cfdi', `El uso de CFDI ${r.uso_cfdi} no está en el catálogo c_UsoCFDI.`, 'CFDI40160');
  else if (uso && rfcValido && !(personaDeRfc(r.rfc!) === 'moral' ? uso.aplicaMoral : uso.aplicaFisica)) {
    add('receptor.uso_cfdi', `El uso de CFDI ${uso.id} no aplica a una persona ${persona(r.rfc!)}.`, 'CFDI40161');
  } else if (uso && regimen && !uso.regimenesFiscalesReceptores.includes(regimen.id)) {
    add('receptor.uso_cfdi', `El uso de CFDI ${uso.id} no aplica al régimen fiscal ${regimen.id} del receptor (admite: ${uso.regimenesFiscalesReceptores.join(', ')}).`, 'CFDI40161');
  }
}
