/**
 * What every kind of comprobante checks the same way: the emisor and the receptor (Anexo 20), every
 * problem collected with the JSON path of its field and, where the SAT's matriz de errores has one,
 * its code.
 */
import * as cat from './catalogs';
import type { Emisor } from './comprobante';
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
