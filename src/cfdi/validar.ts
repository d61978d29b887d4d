/**
 * What every kind of comprobante checks the same way: the emisor and the receptor (Anexo 20), every
 * problem collected with the JSON path of its field and, where the SAT's matriz de errores has one,
 * its code.
 */
import * as cat from './catalogs';
import type { Comprobante, Emisor } from './comprobante';
import { dec } from './decimal';
import type { ReceptorEntrada } from './entrada';
import { esRfcGenerico, NOMBRE_PUBLICO_EN_GENERAL, personaDeRfc, problemaRfc, RFC_EXTRANJERO, RFC_PUBLICO_EN_GENERAL } from './rfc';

export interface ValidationIssue {
  /** Path in the input, e.g. "conceptos[0].impuestos.traslados[1].tasa_o_cuota". */
  path: string;
  message: string;
  /** The SAT's code (CFDI40xxx, CRP20xxx) where the matriz de errores has one, or the rule's own. */
  code?: string;
}

/** Collects problems; `add` keeps the code only where one exists. */
export class Problemas {
  readonly lista: ValidationIssue[] = [];
  readonly add = (path: string, message: string, code?: string): void => {
    this.lista.push(code ? { path, message, code } : { path, message });
  };
}

export type Add = Problemas['add'];

export const CP_RE = /^[0-9]{5}$/;

/** t_Importe (tdCFDI.xsd, pattern [0-9]{1,18}(.[0-9]{1,6})?): a computed amount past 18 integer digits makes XML the XSD refuses. */
export const excedeImporte = (valor: string | undefined) => valor !== undefined && valor.split('.')[0]!.length > 18;

/**
 * Every computed amount of a I/E comprobante within t_Importe, reported at the input that produced it
 * (each input is within bounds; products and sums can pass them): a concepto's Importe (CFDI40167) and its
 * impuestos (CFDI40180, CFDI40186); the sums have no code of their own.
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
  if (sumas.some(excedeImporte)) add('conceptos', mensaje('La suma de los conceptos (SubTotal, Total o impuestos)'));
}

/**
 * The same impuesto, factor and tasa twice in one concepto (or documento relacionado) charges or withholds
 * it twice over the same base; the summary would add both into its one allowed row (CFDI40218/CFDI40208,
 * CRP20271/CRP20263), so the duplicate is refused where it was written.
 */
export function impuestosRepetidos(
  lineas: readonly { impuesto: string; tipo_factor: string; tasa_o_cuota?: string | number }[],
  path: string,
  code: string,
  add: Add,
): void {
  const vistos = new Map<string, number>();
  lineas.forEach((l, j) => {
    const tasa = l.tasa_o_cuota === undefined ? '' : dec(l.tasa_o_cuota).toFixed(6);
    const primera = vistos.get(`${l.impuesto}|${l.tipo_factor}|${tasa}`);
    if (primera === undefined) vistos.set(`${l.impuesto}|${l.tipo_factor}|${tasa}`, j);
    else add(`${path}[${j}]`, `Repite el impuesto ${l.impuesto} ${l.tipo_factor}${tasa && ` ${tasa}`} de ${path}[${primera}]: cada combinación va una sola vez.`, code);
  });
}

export function validarEmisor(emisor: Emisor, fecha: string, add: Add) {
  const rfc = problemaRfc(emisor.rfc);
  if (rfc) add('emisor.rfc', rfc.message, rfc.code);
  else if (esRfcGenerico(emisor.rfc)) add('emisor.rfc', `El RFC del emisor ${emisor.rfc} no es válido.`);
  if (!emisor.nombre.trim()) add('emisor.nombre', 'El nombre del emisor es obligatorio.');
  const regimen = cat.regimenFiscal(emisor.regimenFiscal, fecha);
  if (!regimen) add('emisor.regimen_fiscal', `El régimen fiscal ${emisor.regimenFiscal} del emisor no está en el catálogo c_RegimenFiscal.`, 'CFDI40140');
  else if (!(personaDeRfc(emisor.rfc) === 'moral' ? regimen.aplicaMoral : regimen.aplicaFisica)) {
    add('emisor.regimen_fiscal', `El régimen fiscal ${regimen.id} no aplica a una persona ${personaDeRfc(emisor.rfc) === 'moral' ? 'moral' : 'física'}.`, 'CFDI40141');
  }
  if (!CP_RE.test(emisor.lugarExpedicion)) {
    add('emisor.lugar_expedicion', 'El lugar de expedición debe ser un código postal de 5 dígitos (c_CodigoPostal; solo se valida el formato).', 'CFDI40126');
  }
}

/** Receptor rules shared by every tipo de comprobante. */
export function validarReceptor(r: ReceptorEntrada, emisor: Emisor, fecha: string, add: Add) {
  const rfc = problemaRfc(r.rfc);
  if (rfc) add('receptor.rfc', rfc.message, rfc.code);
  const persona = personaDeRfc(r.rfc);

  if (r.nombre === NOMBRE_PUBLICO_EN_GENERAL && r.rfc !== RFC_PUBLICO_EN_GENERAL) {
    add('receptor.rfc', `Con el nombre ${NOMBRE_PUBLICO_EN_GENERAL} el RFC debe ser ${RFC_PUBLICO_EN_GENERAL}.`, 'CFDI40146');
  }
  if (r.rfc === RFC_PUBLICO_EN_GENERAL && r.nombre !== NOMBRE_PUBLICO_EN_GENERAL) {
    add('receptor.nombre', `Con el RFC genérico ${RFC_PUBLICO_EN_GENERAL} el nombre debe ser ${NOMBRE_PUBLICO_EN_GENERAL}.`);
  }

  if (!CP_RE.test(r.domicilio_fiscal)) {
    add('receptor.domicilio_fiscal', 'El domicilio fiscal del receptor debe ser un código postal de 5 dígitos (c_CodigoPostal; solo se valida el formato).');
  }
  if (esRfcGenerico(r.rfc) && r.domicilio_fiscal !== emisor.lugarExpedicion) {
    add('receptor.domicilio_fiscal', `Con un RFC genérico el domicilio fiscal del receptor debe ser igual al lugar de expedición (${emisor.lugarExpedicion}).`, 'CFDI40149');
  }

  if (r.residencia_fiscal !== undefined) {
    if (r.rfc !== RFC_EXTRANJERO) add('receptor.residencia_fiscal', `La residencia fiscal solo se registra con el RFC genérico extranjero ${RFC_EXTRANJERO}.`, 'CFDI40151');
    if (r.residencia_fiscal === 'MEX') add('receptor.residencia_fiscal', 'La residencia fiscal no puede ser MEX.', 'CFDI40152');
    else if (!cat.pais(r.residencia_fiscal)) add('receptor.residencia_fiscal', `${r.residencia_fiscal} no está en el catálogo c_Pais.`, 'CFDI40150');
  }
  if (r.num_reg_id_trib !== undefined) {
    if (r.rfc !== RFC_EXTRANJERO) add('receptor.num_reg_id_trib', `El NumRegIdTrib solo se registra con el RFC genérico extranjero ${RFC_EXTRANJERO}.`, 'CFDI40154');
    if (r.residencia_fiscal === undefined) add('receptor.residencia_fiscal', 'Si se registra num_reg_id_trib debe registrarse la residencia fiscal.', 'CFDI40153');
  }

  const regimen = cat.regimenFiscal(r.regimen_fiscal, fecha);
  if (!regimen) add('receptor.regimen_fiscal', `El régimen fiscal ${r.regimen_fiscal} no está en el catálogo c_RegimenFiscal.`, 'CFDI40157');
  else if (esRfcGenerico(r.rfc) && regimen.id !== '616') {
    add('receptor.regimen_fiscal', 'Con un RFC genérico el régimen fiscal del receptor debe ser 616 (Sin obligaciones fiscales).', 'CFDI40159');
  } else if (!(persona === 'moral' ? regimen.aplicaMoral : regimen.aplicaFisica)) {
    add('receptor.regimen_fiscal', `El régimen fiscal ${regimen.id} no aplica a una persona ${persona === 'moral' ? 'moral' : 'física'}.`, 'CFDI40158');
  }

  const uso = cat.usoCfdi(r.uso_cfdi, fecha);
  if (!uso) add('receptor.uso_cfdi', `El uso de CFDI ${r.uso_cfdi} no está en el catálogo c_UsoCFDI.`, 'CFDI40160');
  else if (!(persona === 'moral' ? uso.aplicaMoral : uso.aplicaFisica)) {
    add('receptor.uso_cfdi', `El uso de CFDI ${uso.id} no aplica a una persona ${persona === 'moral' ? 'moral' : 'física'}.`, 'CFDI40161');
  } else if (regimen && !uso.regimenesFiscalesReceptores.includes(regimen.id)) {
    add('receptor.uso_cfdi', `El uso de CFDI ${uso.id} no aplica al régimen fiscal ${regimen.id} del receptor (admite: ${uso.regimenesFiscalesReceptores.join(', ')}).`, 'CFDI40161');
  } else if (esRfcGenerico(r.rfc) && uso.id !== 'S01' && uso.id !== 'CP01') {
    add('receptor.uso_cfdi', 'Con un RFC genérico el uso de CFDI debe ser S01 (Sin efectos fiscales), o CP01 en un complemento de pago.');
  }
}
