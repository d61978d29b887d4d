import { describe, expect, it } from 'vitest';
import type { Emisor } from '../../comprobante';
import { fechaLocal, instanteDeFechaLocal, validarFecha, zonaHoraria } from '../../fecha';
import { personaDeRfc } from '../../rfc';
import type { ValidationIssue } from '../../validar';
import { FacturaEntradaSchema } from './modelo';
import { validarFactura } from './validar';
import { base, EMISOR, FECHA, type Input } from './entrada-de-prueba';

const publicoEnGeneral = (i: Input) => {
  i.receptor = { rfc: 'XAXX010101000', nombre: 'PUBLICO EN GENERAL', domicilio_fiscal: '42501', regimen_fiscal: '616', uso_cfdi: 'S01' };
  i.informacion_global = { periodicidad: '04', meses: '11', año: 2026 };
};
const extranjero = (i: Input) => {
  i.receptor = { rfc: 'XEXX010101000', nombre: 'ACME INC', domicilio_fiscal: '42501', regimen_fiscal: '616', uso_cfdi: 'S01' };
};
const traslado = (i: Input) => i.conceptos[0].impuestos.traslados[0];
const retencion = (i: Input, r: Record<string, string>) => (i.conceptos[0].impuestos.retenciones = [r]);

interface Opts { tipo?: 'I' | 'E'; emisor?: Partial<Emisor>; fecha?: string }

function validar(mutar: (i: Input) => void, opts: Opts = {}) {
  const input = base();
  mutar(input);
  return validarFactura(FacturaEntradaSchema.parse(input), { ...EMISOR, ...opts.emisor }, { tipo: opts.tipo ?? 'I', fecha: opts.fecha ?? FECHA });
}
const errores = (mutar: (i: Input) => void, opts: Opts = {}): ValidationIssue[] => validar(mutar, opts).lista;
const advertencias = (mutar: (i: Input) => void, opts: Opts = {}) => validar(mutar, opts).advertencias.map((a) => `${a.path} ${a.code}`);
const objetoImp = (i: Input, objeto: string, impuestos?: Input) => {
  i.conceptos[0].objeto_imp = objeto;
  if (impuestos) i.conceptos[0].impuestos = impuestos;
  else delete i.conceptos[0].impuestos;
};
const IEPS_8 = { impuesto: '003', tipo_factor: 'Tasa', tasa_o_cuota: '0.08' };
const IVA_16 = { impuesto: '002', tipo_factor: 'Tasa', tasa_o_cuota: '0.16' };
const ISR_10 = { impuesto: '001', tipo_factor: 'Tasa', tasa_o_cuota: '0.10' };

/** [test name, mutation, expected path, expected code, options]. Each gives exactly that one issue. */
const CASOS: [string, (i: Input) => void, string, string, Opts?][] = [
  // Comprobante
  ['FormaPago fuera de catálogo', (i) => (i.forma_pago = '98'), 'forma_pago', 'CFDI40104'],
  ['FormaPago obligatoria (guía de llenado)', (i) => delete i.forma_pago, 'forma_pago', 'HFX_CAMPO_REQUERIDO'],
  ['MetodoPago fuera de catálogo', (i) => (i.metodo_pago = 'PIP'), 'metodo_pago', 'CFDI40124'],
  ['MetodoPago obligatorio (guía de llenado)', (i) => delete i.metodo_pago, 'metodo_pago', 'HFX_CAMPO_REQUERIDO'],
  ['PPD exige FormaPago 99', (i) => (i.metodo_pago = 'PPD'), 'forma_pago', 'CFDI40105'],
  ['Moneda fuera de catálogo', (i) => (i.moneda = 'ABC'), 'moneda', 'CFDI40113'],
  ['MXN con TipoCambio distinto de 1', (i) => (i.tipo_cambio = '17.5'), 'tipo_cambio', 'CFDI40114'],
  ['Moneda extranjera sin TipoCambio', (i) => (i.moneda = 'EUR'), 'tipo_cambio', 'CFDI40115'],
  ['TipoCambio cero (cfdv40.xsd)', (i) => ((i.moneda = 'USD'), (i.tipo_cambio = '0')), 'tipo_cambio', 'HFX_XSD'],
  ['Moneda XXX con TipoCambio', (i) => ((i.moneda = 'XXX'), (i.tipo_cambio = '1')), 'tipo_cambio', 'CFDI40116'],
  ['Exportacion fuera de catálogo', (i) => (i.exportacion = '09'), 'exportacion', 'CFDI40123'],
  ['Exportacion 02 sin comercio exterior', (i) => (i.exportacion = '02'), 'exportacion', 'CFDI40122'],
  ['TipoRelacion fuera de catálogo', (i) => (i.cfdi_relacionados = [{ tipo_relacion: '99', uuids: ['5FB2822E-396D-4725-8521-CDC4BDD20CCF'] }]), 'cfdi_relacionados[0].tipo_relacion', 'CFDI40137'],
  // Emisor
  ['RegimenFiscal del emisor fuera de catálogo', () => {}, 'emisor.regimen_fiscal', 'CFDI40140', { emisor: { regimenFiscal: '999' } }],
  ['RegimenFiscal del emisor no aplica a persona moral', () => {}, 'emisor.regimen_fiscal', 'CFDI40141', { emisor: { regimenFiscal: '612' } }],
  ['LugarExpedicion fuera de c_CodigoPostal', () => {}, 'emisor.lugar_expedicion', 'CFDI40126', { emisor: { lugarExpedicion: '00000' } }],
  ['LugarExpedicion sin 5 dígitos', () => {}, 'emisor.lugar_expedicion', 'CFDI40126', { emisor: { lugarExpedicion: '4250' } }],
  ['RFC del emisor con fecha inexistente', () => {}, 'emisor.rfc', 'rfc_fecha', { emisor: { rfc: 'EKU9003993C9' } }],
  ['RFC del emisor con dígito verificador erróneo', () => {}, 'emisor.rfc', 'rfc_digito_verificador', { emisor: { rfc: 'EKU9003173C8' } }],
  // Receptor: the RFC rules of a stored cliente (src/cfdi/rfc.ts), with the same codes
  ['RFC del receptor con fecha inexistente', (i) => (i.receptor.rfc = 'URE180499TM6'), 'receptor.rfc', 'rfc_fecha'],
  ['RFC del receptor con dígito verificador erróneo', (i) => (i.receptor.rfc = 'EKU9003173C8'), 'receptor.rfc', 'rfc_digito_verificador'],
  ['RFC del receptor en minúsculas', (i) => (i.receptor.rfc = 'eku9003173c9'), 'receptor.rfc', 'rfc_formato'],
  ['PUBLICO EN GENERAL exige XAXX010101000', (i) => (i.receptor.nombre = 'PUBLICO EN GENERAL'), 'receptor.rfc', 'CFDI40146'],
  ['DomicilioFiscalReceptor fuera de c_CodigoPostal', (i) => (i.receptor.domicilio_fiscal = '00000'), 'receptor.domicilio_fiscal', 'CFDI40147'],
  ['RegimenFiscalReceptor fuera de catálogo', (i) => (i.receptor.regimen_fiscal = '999'), 'receptor.regimen_fiscal', 'CFDI40157'],
  ['RegimenFiscalReceptor de persona física en una moral', (i) => (i.receptor.regimen_fiscal = '612'), 'receptor.regimen_fiscal', 'CFDI40158'],
  ['UsoCFDI fuera de catálogo', (i) => (i.receptor.uso_cfdi = 'ZZZ'), 'receptor.uso_cfdi', 'CFDI40160'],
  ['UsoCFDI de persona física en una moral', (i) => (i.receptor.uso_cfdi = 'D01'), 'receptor.uso_cfdi', 'CFDI40161'],
  ['UsoCFDI que no admite el régimen del receptor', (i) => Object.assign(i.receptor, { rfc: 'XOJI740919U48', regimen_fiscal: '605', uso_cfdi: 'G03' }), 'receptor.uso_cfdi', 'CFDI40161'],
  ['ResidenciaFiscal con RFC nacional', (i) => (i.receptor.residencia_fiscal = 'USA'), 'receptor.residencia_fiscal', 'CFDI40151'],
  ['ResidenciaFiscal MEX', (i) => (extranjero(i), (i.receptor.residencia_fiscal = 'MEX')), 'receptor.residencia_fiscal', 'CFDI40152'],
  ['ResidenciaFiscal fuera de c_Pais', (i) => (extranjero(i), (i.receptor.residencia_fiscal = 'QQQ')), 'receptor.residencia_fiscal', 'CFDI40150'],
  ['NumRegIdTrib sin ResidenciaFiscal', (i) => (extranjero(i), (i.receptor.num_reg_id_trib = '123456789')), 'receptor.residencia_fiscal', 'CFDI40153'],
  // Generic RFCs and InformacionGlobal
  ['XAXX010101000 exige régimen 616', (i) => (publicoEnGeneral(i), (i.receptor.regimen_fiscal = '601')), 'receptor.regimen_fiscal', 'CFDI40159'],
  ['XEXX010101000 exige régimen 616', (i) => (extranjero(i), (i.receptor.regimen_fiscal = '610')), 'receptor.regimen_fiscal', 'CFDI40159'],
  ['RFC genérico: domicilio = LugarExpedicion', (i) => (publicoEnGeneral(i), (i.receptor.domicilio_fiscal = '06600')), 'receptor.domicilio_fiscal', 'CFDI40149'],
  ['XEXX010101000: uso S01 (guía de llenado)', (i) => (extranjero(i), (i.receptor.uso_cfdi = 'G02')), 'receptor.uso_cfdi', 'HFX_USO_CFDI_EXTRANJERO'],
  ['PUBLICO EN GENERAL exige InformacionGlobal', (i) => (publicoEnGeneral(i), delete i.informacion_global), 'informacion_global', 'CFDI40130'],
  ['Periodicidad fuera de catálogo', (i) => (publicoEnGeneral(i), (i.informacion_global.periodicidad = '09')), 'informacion_global.periodicidad', 'CFDI40131'],
  ['Periodicidad 05 solo régimen 621', (i) => (publicoEnGeneral(i), Object.assign(i.informacion_global, { periodicidad: '05', meses: '13' })), 'informacion_global.periodicidad', 'CFDI40132'],
  ['Meses fuera de catálogo', (i) => (publicoEnGeneral(i), (i.informacion_global.meses = '19')), 'informacion_global.meses', 'CFDI40133'],
  ['Periodicidad mensual con meses bimestrales', (i) => (publicoEnGeneral(i), (i.informacion_global.meses = '13')), 'informacion_global.meses', 'CFDI40134'],
  ['Periodicidad bimestral con un mes', (i) => (publicoEnGeneral(i), Object.assign(i.informacion_global, { periodicidad: '05', meses: '01' })), 'informacion_global.meses', 'CFDI40135', { emisor: { rfc: 'XOJI740919U48', regimenFiscal: '621' } }],
  ['Año de InformacionGlobal anterior a cinco ejercicios', (i) => (publicoEnGeneral(i), (i.informacion_global.año = 2020)), 'informacion_global.año', 'CFDI40136'],
  ['Año de InformacionGlobal posterior al de la Fecha', (i) => (publicoEnGeneral(i), (i.informacion_global.año = 2027)), 'informacion_global.año', 'CFDI40136'],
  // Conceptos
  ['ClaveProdServ fuera de c_ClaveProdServ', (i) => (i.conceptos[0].clave_prod_serv = '99999999'), 'conceptos[0].clave_prod_serv', 'CFDI40162'],
  ['ClaveProdServ sin 8 dígitos', (i) => (i.conceptos[0].clave_prod_serv = '8111210'), 'conceptos[0].clave_prod_serv', 'CFDI40162'],
  ['ClaveUnidad fuera de catálogo', (i) => (i.conceptos[0].clave_unidad = 'QQQ'), 'conceptos[0].clave_unidad', 'CFDI40165'],
  ['Cantidad cero (cfdv40.xsd)', (i) => (i.conceptos[0].cantidad = 0), 'conceptos[0].cantidad', 'HFX_XSD'],
  ['ValorUnitario cero', (i) => (i.conceptos[0].valor_unitario = '0'), 'conceptos[0].valor_unitario', 'CFDI40166'],
  ['Descuento mayor que el importe', (i) => (i.conceptos[0].descuento = '100.01'), 'conceptos[0].descuento', 'CFDI40169'],
  ['Descuento igual al importe deja el traslado sin base', (i) => (i.conceptos[0].descuento = '100'), 'conceptos[0].impuestos.traslados[0]', 'CFDI40174'],
  ['Descuento igual al importe deja la retención sin base', (i) => ((i.conceptos[0].descuento = '100'), (i.conceptos[0].impuestos.traslados = []), retencion(i, { impuesto: '001', tipo_factor: 'Tasa', tasa_o_cuota: '0.10' })), 'conceptos[0].impuestos.retenciones[0]', 'CFDI40181'],
  ['ObjetoImp fuera de catálogo', (i) => (i.conceptos[0].objeto_imp = '09'), 'conceptos[0].objeto_imp', 'CFDI40170'],
  ['ObjetoImp 02 sin impuestos', (i) => delete i.conceptos[0].impuestos, 'conceptos[0].impuestos', 'CFDI40171'],
  ['ObjetoImp 01 con impuestos', (i) => (i.conceptos[0].objeto_imp = '01'), 'conceptos[0].impuestos', 'CFDI40172'],
  ['ObjetoImp 05 con impuestos', (i) => (i.conceptos[0].objeto_imp = '05'), 'conceptos[0].impuestos', 'CFDI40172'],
  ['ObjetoImp 06 con traslado de IVA', (i) => (i.conceptos[0].objeto_imp = '06'), 'conceptos[0].impuestos', 'CFDI40226'],
  ['ObjetoImp 08 con retención de IVA', (i) => objetoImp(i, '08', { retenciones: [ISR_10, { impuesto: '002', tipo_factor: 'Tasa', tasa_o_cuota: '0.106667' }] }), 'conceptos[0].impuestos', 'CFDI40226'],
  ['ObjetoImp 08 con traslado de IEPS', (i) => objetoImp(i, '08', { traslados: [IEPS_8] }), 'conceptos[0].impuestos', 'CFDI40226'],
  ['ObjetoImp 07 sin traslado de IEPS', (i) => objetoImp(i, '07', { retenciones: [ISR_10] }), 'conceptos[0].impuestos', 'CFDI40227'],
  ['ObjetoImp 07 sin impuestos', (i) => objetoImp(i, '07'), 'conceptos[0].impuestos', 'CFDI40227'],
  ['ObjetoImp 07 con IVA', (i) => objetoImp(i, '07', { traslados: [IEPS_8, IVA_16] }), 'conceptos[0].impuestos', 'CFDI40227'],
  ['Impuestos vacíos', (i) => (i.conceptos[0].impuestos = { traslados: [], retenciones: [] }), 'conceptos[0].impuestos', 'CFDI40173'],
  // Traslados
  ['Traslado de un impuesto no trasladable (ISR)', (i) => Object.assign(traslado(i), { impuesto: '001', tasa_o_cuota: '0.10' }), 'conceptos[0].impuestos.traslados[0].impuesto', 'CFDI40175'],
  ['TipoFactor fuera de catálogo', (i) => (traslado(i).tipo_factor = 'Ratio'), 'conceptos[0].impuestos.traslados[0].tipo_factor', 'CFDI40176'],
  ['Exento con tasa', (i) => (traslado(i).tipo_factor = 'Exento'), 'conceptos[0].impuestos.traslados[0].tasa_o_cuota', 'CFDI40177'],
  ['Tasa sin valor', (i) => delete traslado(i).tasa_o_cuota, 'conceptos[0].impuestos.traslados[0].tasa_o_cuota', 'CFDI40178'],
  ['Tasa de IVA fuera de c_TasaOCuota', (i) => (traslado(i).tasa_o_cuota = '0.15'), 'conceptos[0].impuestos.traslados[0].tasa_o_cuota', 'CFDI40179'],
  ['IEPS cuota antes de su vigencia', (i) => Object.assign(traslado(i), { impuesto: '003', tipo_factor: 'Cuota', tasa_o_cuota: '6.1752' }), 'conceptos[0].impuestos.traslados[0].tasa_o_cuota', 'CFDI40179', { fecha: '2025-12-31T12:00:00' }],
  // Retenciones
  ['Retención de un impuesto fuera de catálogo', (i) => retencion(i, { impuesto: '004', tipo_factor: 'Tasa', tasa_o_cuota: '0.10' }), 'conceptos[0].impuestos.retenciones[0].impuesto', 'CFDI40182'],
  ['Retención con TipoFactor fuera de catálogo', (i) => retencion(i, { impuesto: '001', tipo_factor: 'X', tasa_o_cuota: '0.10' }), 'conceptos[0].impuestos.retenciones[0].tipo_factor', 'CFDI40183'],
  ['Retención Exento', (i) => retencion(i, { impuesto: '002', tipo_factor: 'Exento' }), 'conceptos[0].impuestos.retenciones[0].tipo_factor', 'CFDI40184'],
  ['Retención sin tasa', (i) => retencion(i, { impuesto: '001', tipo_factor: 'Tasa' }), 'conceptos[0].impuestos.retenciones[0].tasa_o_cuota', 'CFDI40185'],
  ['Retención de ISR mayor a 35%', (i) => retencion(i, { impuesto: '001', tipo_factor: 'Tasa', tasa_o_cuota: '0.40' }), 'conceptos[0].impuestos.retenciones[0].tasa_o_cuota', 'CFDI40185'],
  ['Retención de IVA mayor a 16%', (i) => retencion(i, { impuesto: '002', tipo_factor: 'Tasa', tasa_o_cuota: '0.17' }), 'conceptos[0].impuestos.retenciones[0].tasa_o_cuota', 'CFDI40185'],
];

describe('validarFactura', () => {
  it('accepts the valid base factura and its variants (público en general, extranjero, retenciones, PPD)', () => {
    expect(errores(() => {})).toEqual([]);
    expect(errores(publicoEnGeneral)).toEqual([]);
    expect(errores((i) => (extranjero(i), Object.assign(i.receptor, { residencia_fiscal: 'USA', num_reg_id_trib: '123456789' })))).toEqual([]);
    expect(errores((i) => retencion(i, { impuesto: '002', tipo_factor: 'Tasa', tasa_o_cuota: '0.106667' }))).toEqual([]);
    expect(errores((i) => ((i.metodo_pago = 'PPD'), (i.forma_pago = '99')))).toEqual([]);
    expect(errores((i) => (i.cfdi_relacionados = [{ tipo_relacion: '01', uuids: ['5FB2822E-396D-4725-8521-CDC4BDD20CCF'] }]), { tipo: 'E' })).toEqual([]);
  });

  it('accepts what the matrix allows: ObjetoImp 06/08 with an ISR retention or nothing, 07 with IEPS, 05 without impuestos', () => {
    for (const objeto of ['06', '08']) {
      expect(errores((i) => objetoImp(i, objeto, { retenciones: [ISR_10] }))).toEqual([]);
      expect(errores((i) => objetoImp(i, objeto))).toEqual([]);
    }
    expect(errores((i) => objetoImp(i, '07', { traslados: [IEPS_8], retenciones: [ISR_10, { ...IEPS_8, tasa_o_cuota: '0.265' }] }))).toEqual([]);
    expect(errores((i) => objetoImp(i, '05'))).toEqual([]);
  });

  it('accepts InformacionGlobal.Año from the year of the Fecha back five ejercicios, and XAXX010101000 with another name', () => {
    for (const año of [2021, 2024, 2026]) expect(errores((i) => (publicoEnGeneral(i), (i.informacion_global.año = año)))).toEqual([]);
    expect(errores((i) => (publicoEnGeneral(i), (i.receptor.nombre = 'JUAN PEREZ'), delete i.informacion_global))).toEqual([]);
  });

  it('IVA 8 % (IVA Crédito aplicado del 50%) is accepted; outside the franja fronteriza or with an excluded clave it is an advertencia', () => {
    const iva8 = (i: Input) => (traslado(i).tasa_o_cuota = '0.08');
    expect(errores(iva8, { emisor: { lugarExpedicion: '22000' } })).toEqual([]);
    expect(advertencias(iva8, { emisor: { lugarExpedicion: '22000' } })).toEqual([]);
    expect(errores(iva8)).toEqual([]);
    expect(advertencias(iva8)).toEqual(['conceptos[0] HFX_IVA_FRANJA_FUERA']);
    const excluida = (i: Input) => (iva8(i), (i.conceptos[0].clave_prod_serv = '43231500'));
    expect(errores(excluida, { emisor: { lugarExpedicion: '22000' } })).toEqual([]);
    expect(advertencias(excluida, { emisor: { lugarExpedicion: '22000' } })).toEqual(['conceptos[0] HFX_IVA_FRANJA_CLAVE']);
  });

  it('advertencias for what the SAT accepts but a contador would question', () => {
    const casos: [(i: Input) => void, string, Opts?][] = [
      [(i) => (i.forma_pago = '99'), 'forma_pago HFX_FORMA_PAGO_99_PUE'],
      [(i) => (i.moneda = 'XXX'), 'moneda HFX_MONEDA_XXX'],
      [(i) => (i.receptor.uso_cfdi = 'CP01'), 'receptor.uso_cfdi HFX_USO_CFDI_TIPO'],
      [(i) => (i.informacion_global = { periodicidad: '04', meses: '11', año: 2026 }), 'informacion_global HFX_INFORMACION_GLOBAL_SIN_PUBLICO'],
      [(i) => i.conceptos[0].impuestos.traslados.push({ ...IVA_16 }), 'conceptos[0].impuestos.traslados[1] HFX_IMPUESTO_REPETIDO'],
      [() => {}, 'cfdi_relacionados HFX_EGRESO_SIN_RELACION', { tipo: 'E' }],
    ];
    for (const [mutar, advertencia, opts] of casos) {
      expect(errores(mutar, opts)).toEqual([]);
      expect(advertencias(mutar, opts)).toEqual([advertencia]);
    }
    expect(advertencias((i) => (i.forma_pago = '23'), { tipo: 'E' })).toEqual([]);
  });

  for (const [nombre, mutar, path, code, opts] of CASOS) {
    it(nombre, () => {
      expect(errores(mutar, opts)).toEqual([{ path, code, message: expect.any(String) }]);
    });
  }

  it('NumRegIdTrib with a national RFC: not a foreigner, and no ResidenciaFiscal either', () => {
    const issues = errores((i) => (i.receptor.num_reg_id_trib = '123456789'));
    expect(issues.map((e) => [e.path, e.code])).toEqual([
      ['receptor.num_reg_id_trib', 'CFDI40154'],
      ['receptor.residencia_fiscal', 'CFDI40153'],
    ]);
  });

  it('NumRegIdTrib follows the whole pattern of its ResidenciaFiscal in c_Pais; a country without one takes any format', () => {
    const numRegIdTrib = (residencia_fiscal: string, num_reg_id_trib: string) =>
      errores((i) => (extranjero(i), Object.assign(i.receptor, { residencia_fiscal, num_reg_id_trib }))).map((e) => [e.path, e.code]);
    // Unanchored, [0-9]{9} would also take the last two.
    for (const invalido of ['12345678', 'A12345678', '1234567890', 'X123456789']) {
      expect(numRegIdTrib('USA', invalido)).toEqual([['receptor.num_reg_id_trib', 'CFDI40156']]);
    }
    expect(numRegIdTrib('CAN', '12345678')).toEqual([['receptor.num_reg_id_trib', 'CFDI40156']]);
    expect(numRegIdTrib('USA', '123456789')).toEqual([]);
    expect(numRegIdTrib('DEU', 'DE-123 456')).toEqual([]);
  });

  it('reports every problem of the input at once', () => {
    const issues = errores((i) => {
      i.forma_pago = '00';
      i.receptor.uso_cfdi = 'D01';
      i.conceptos.push({ ...i.conceptos[0], clave_unidad: 'QQQ' });
      traslado(i).tasa_o_cuota = '0.2';
    });
    expect(issues.map((e) => `${e.path} ${e.code}`)).toEqual([
      'receptor.uso_cfdi CFDI40161',
      'forma_pago CFDI40104',
      'conceptos[0].impuestos.traslados[0].tasa_o_cuota CFDI40179',
      'conceptos[1].clave_unidad CFDI40165',
      'conceptos[1].impuestos.traslados[0].tasa_o_cuota CFDI40179',
    ]);
  });
});

describe('persona and Fecha', () => {
  it('tells persona moral (12) from física (13)', () => {
    expect(personaDeRfc('EKU9003173C9')).toBe('moral');
    expect(personaDeRfc('XOJI740919U48')).toBe('fisica');
  });

  it('maps códigos postales to their legal time zone', () => {
    expect(zonaHoraria('42501')).toBe('America/Mexico_City');
    expect(zonaHoraria('22000')).toBe('America/Tijuana');
    expect(zonaHoraria('77500')).toBe('America/Cancun');
    expect(zonaHoraria('83000')).toBe('America/Hermosillo');
    expect(zonaHoraria('82000')).toBe('America/Mazatlan');
  });

  it('converts between instants and local wall-clock time, daylight saving included', () => {
    const ahora = new Date('2026-11-20T18:00:00Z');
    expect(fechaLocal(ahora, 'America/Mexico_City')).toBe('2026-11-20T12:00:00');
    expect(fechaLocal(ahora, 'America/Cancun')).toBe('2026-11-20T13:00:00');
    // Tijuana observes daylight saving: UTC−7 in July, UTC−8 in November
    expect(instanteDeFechaLocal('2026-07-01T10:00:00', 'America/Tijuana').toISOString()).toBe('2026-07-01T17:00:00.000Z');
    expect(instanteDeFechaLocal('2026-11-20T10:00:00', 'America/Tijuana').toISOString()).toBe('2026-11-20T18:00:00.000Z');
  });

  it('Fecha: pattern (CFDI40101), not in the future, at most 72 hours old', () => {
    const ahora = new Date('2026-11-20T18:00:00Z'); // 12:00 in Mexico City
    expect(validarFecha('2026-11-20T12:00:00', '42501', ahora)).toEqual([]);
    expect(validarFecha('2026-11-17T12:00:00', '42501', ahora)).toEqual([]);
    for (const mal of ['2026-11-20 12:00:00', '2026-11-20T12:00:00-06:00', '2026-11-20T24:00:00', '20-11-2026T12:00:00']) {
      expect(validarFecha(mal, '42501', ahora)).toEqual([{ path: 'fecha', code: 'CFDI40101', message: expect.any(String) }]);
    }
    expect(validarFecha('2026-11-20T12:00:01', '42501', ahora)).toEqual([{ path: 'fecha', code: 'CFDI40101', message: expect.stringMatching(/posterior/) }]);
    expect(validarFecha('2026-11-17T11:59:59', '42501', ahora)).toEqual([{ path: 'fecha', code: '401', message: expect.stringMatching(/72 horas/) }]);
    // 12:30 is already past in Cancún (13:00) but still future in Mexico City
    expect(validarFecha('2026-11-20T12:30:00', '77500', ahora)).toEqual([]);
    expect(validarFecha('2026-11-20T12:30:00', '42501', ahora)).toHaveLength(1);
  });
});

describe('fechaLocal (offset cache)', () => {
  it('agrees with Intl at every hour around DST changes and at random instants, in every Mexican zone', () => {
    const zonas = ['America/Mexico_City', 'America/Tijuana', 'America/Mazatlan', 'America/Hermosillo', 'America/Chihuahua', 'America/Cancun'];
    const intl = (d: Date, timeZone: string) => {
      const p = Object.fromEntries(
        new Intl.DateTimeFormat('en-CA', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
          .formatToParts(d)
          .map((x) => [x.type, x.value]),
      );
      return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`;
    };
    // Tijuana follows US DST: 2026-03-08 and 2026-11-01.
    const instantes = [Date.UTC(2026, 2, 8, 0), Date.UTC(2026, 10, 1, 0)].flatMap((t) => Array.from({ length: 48 * 4 }, (_, i) => t + i * 15 * 60_000 + 59_999));
    let x = 12345;
    for (let i = 0; i < 500; i++) {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      instantes.push(Date.UTC(2020, 0, 1) + (x / 2 ** 31) * 8 * 365 * 86_400_000);
    }
    for (const zona of zonas) for (const t of instantes) expect(fechaLocal(new Date(t), zona)).toBe(intl(new Date(t), zona));
  });
});
