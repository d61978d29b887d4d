import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Emisor } from '../../comprobante';
import { prepararNomina } from '.';

// One test per NOM rule HexaFac applies before stamping: a fixture broken the way the rule describes gets
// the SAT's code at the field's path (and no other field gets it); the untouched fixture is accepted.

const fixtures = path.resolve(__dirname, '../../../../test/fixtures/cfdi/nomina');
const EMISOR: Emisor = { rfc: 'EKU9003173C9', nombre: 'ESCUELA KEMPER URGATE', regimenFiscal: '601', lugarExpedicion: '42501' };
const AHORA = new Date('2026-11-20T19:00:00Z');
const leer = (nombre: string) => JSON.parse(readFileSync(path.join(fixtures, `${nombre}.json`), 'utf8'));

type Caso = [codigo: string, ruta: string, fixture: string, romper: (i: any) => void, emisor?: Partial<Emisor>];
const CASOS: Caso[] = [
  ['NOM5', 'emisor.curp', 'ordinaria-quincenal', (i) => (i.emisor.curp = 'XOJI740919MDFDMN05')],
  ['NOM6', 'emisor.curp', 'asimilado-honorarios', () => {}, { rfc: 'XOJI740919U48', regimenFiscal: '612' }],
  ['NOM8', 'receptor.rfc', 'ordinaria-quincenal', (i) => (i.receptor.rfc = 'EKU9003173C9')],
  ['NOM11', 'receptor.regimen_fiscal', 'ordinaria-quincenal', (i) => (i.receptor.regimen_fiscal = '612')],
  ['NOM12', 'receptor.uso_cfdi', 'ordinaria-quincenal', (i) => (i.receptor.uso_cfdi = 'G03')],
  ['NOM31', 'percepciones', 'asimilado-honorarios', (i) => { delete i.percepciones; delete i.deducciones; }],
  ['NOM32', 'tipo_nomina', 'ordinaria-quincenal', (i) => (i.tipo_nomina = 'X')],
  ['NOM33', 'receptor.periodicidad_pago', 'ordinaria-quincenal', (i) => (i.receptor.periodicidad_pago = '99')],
  ['NOM34', 'receptor.periodicidad_pago', 'extraordinaria-aguinaldo-ptu', (i) => (i.receptor.periodicidad_pago = '04')],
  ['NOM35', 'fecha_inicial_pago', 'ordinaria-quincenal', (i) => (i.fecha_inicial_pago = '2026-11-16')],
  ['NOM42', 'emisor.registro_patronal', 'ordinaria-quincenal', (i) => delete i.emisor],
  ['NOM43', 'emisor.registro_patronal', 'asimilado-honorarios', (i) => (i.emisor = { registro_patronal: 'B5510768108' })],
  ['NOM44', 'receptor.riesgo_puesto', 'ordinaria-quincenal', (i) => delete i.receptor.riesgo_puesto],
  ['NOM47', 'emisor.entidad_sncf.origen_recurso', 'ordinaria-quincenal', (i) => (i.emisor.entidad_sncf = { origen_recurso: 'XX' })],
  ['NOM48', 'emisor.entidad_sncf.monto_recurso_propio', 'ordinaria-quincenal', (i) => (i.emisor.entidad_sncf = { origen_recurso: 'IM' })],
  ['NOM49', 'emisor.entidad_sncf.monto_recurso_propio', 'ordinaria-quincenal', (i) => (i.emisor.entidad_sncf = { origen_recurso: 'IP', monto_recurso_propio: '10.00' })],
  ['NOM50', 'emisor.entidad_sncf.monto_recurso_propio', 'ordinaria-quincenal', (i) => (i.emisor.entidad_sncf = { origen_recurso: 'IM', monto_recurso_propio: '8000.00' })],
  ['NOM51', 'receptor.tipo_contrato', 'asimilado-honorarios', (i) => (i.receptor.tipo_contrato = '11')],
  ['NOM52', 'receptor.tipo_jornada', 'ordinaria-quincenal', (i) => (i.receptor.tipo_jornada = '77')],
  ['NOM53', 'receptor.fecha_inicio_rel_laboral', 'ordinaria-quincenal', (i) => (i.receptor.fecha_inicio_rel_laboral = '2026-11-16')],
  ['NOM54', 'receptor.antigüedad', 'ordinaria-quincenal', (i) => (i.receptor.antigüedad = 'P351W')],
  ['NOM55', 'receptor.antigüedad', 'separacion-indemnizacion', (i) => (i.receptor.antigüedad = 'P11Y5M17D')],
  ['NOM56', 'receptor.tipo_regimen', 'asimilado-honorarios', (i) => (i.receptor.tipo_regimen = '01')],
  ['NOM57', 'receptor.tipo_regimen', 'ordinaria-quincenal', (i) => (i.receptor.tipo_regimen = '09')],
  ['NOM58', 'receptor.tipo_regimen', 'asimilado-honorarios', (i) => (i.receptor.tipo_regimen = '02')],
  ['NOM59', 'receptor.riesgo_puesto', 'ordinaria-quincenal', (i) => (i.receptor.riesgo_puesto = '7')],
  ['NOM60', 'receptor.periodicidad_pago', 'ordinaria-quincenal', (i) => (i.receptor.periodicidad_pago = '50')],
  ['NOM61', 'receptor.banco', 'extraordinaria-aguinaldo-ptu', (i) => (i.receptor.banco = '999')],
  ['NOM62', 'receptor.cuenta_bancaria', 'extraordinaria-aguinaldo-ptu', (i) => (i.receptor.cuenta_bancaria = '123456789012')],
  ['NOM63', 'receptor.banco', 'ordinaria-quincenal', (i) => (i.receptor.banco = '002')],
  ['NOM64', 'receptor.cuenta_bancaria', 'ordinaria-quincenal', (i) => (i.receptor.cuenta_bancaria = i.receptor.cuenta_bancaria.slice(0, 17) + ((Number(i.receptor.cuenta_bancaria[17]) + 1) % 10))],
  ['NOM65', 'receptor.banco', 'extraordinaria-aguinaldo-ptu', (i) => delete i.receptor.banco],
  ['NOM66', 'receptor.clave_ent_fed', 'ordinaria-quincenal', (i) => (i.receptor.clave_ent_fed = 'XXX')],
  ['NOM68', 'receptor.subcontratacion', 'ordinaria-quincenal', (i) => (i.receptor.subcontratacion = [{ rfc_labora: 'EKU9003173C9', porcentaje_tiempo: '60' }])],
  ['NOM75', 'percepciones[0].importe_gravado', 'ordinaria-quincenal', (i) => (i.percepciones[0].importe_gravado = '0.00')],
  ['NOM76', 'percepciones[0].tipo_percepcion', 'ordinaria-quincenal', (i) => (i.percepciones[0].tipo_percepcion = '999')],
  ['NOM78', 'separacion_indemnizacion', 'separacion-indemnizacion', (i) => delete i.separacion_indemnizacion],
  ['NOM79', 'jubilacion_pension_retiro', 'jubilacion', (i) => delete i.jubilacion_pension_retiro],
  ['NOM80', 'jubilacion_pension_retiro', 'jubilacion', (i) => (i.percepciones[0].tipo_percepcion = '039')],
  ['NOM81', 'jubilacion_pension_retiro', 'jubilacion', (i) => delete i.jubilacion_pension_retiro.total_parcialidad],
  ['NOM82', 'percepciones[0].acciones_o_titulos', 'asimilado-honorarios', (i) => (i.percepciones[0].tipo_percepcion = '045')],
  ['NOM83', 'percepciones[0].acciones_o_titulos', 'asimilado-honorarios', (i) => (i.percepciones[0].acciones_o_titulos = { valor_mercado: '10', precio_al_otorgarse: '5' })],
  ['NOM84', 'percepciones[1].horas_extra', 'horas-extra', (i) => delete i.percepciones[1].horas_extra],
  ['NOM85', 'percepciones[0].horas_extra', 'horas-extra', (i) => (i.percepciones[0].horas_extra = i.percepciones[1].horas_extra)],
  ['NOM86', 'incapacidades', 'incapacidad', (i) => { delete i.incapacidades; i.deducciones.pop(); }],
  ['NOM87', 'percepciones[1]', 'incapacidad', (i) => (i.percepciones[1].importe_exento = '1400.00')],
  ['NOM88', 'percepciones[1].horas_extra[0].tipo_horas', 'horas-extra', (i) => (i.percepciones[1].horas_extra[0].tipo_horas = '09')],
  ['NOM89', 'jubilacion_pension_retiro', 'jubilacion', (i) => (i.jubilacion_pension_retiro.total_una_exhibicion = '21000.00')],
  ['NOM90', 'jubilacion_pension_retiro', 'jubilacion', (i) => delete i.jubilacion_pension_retiro.monto_diario],
  ['NOM93', 'deducciones[0].tipo_deduccion', 'ordinaria-quincenal', (i) => (i.deducciones[0].tipo_deduccion = '999')],
  ['NOM94', 'incapacidades', 'incapacidad', (i) => { delete i.incapacidades; i.percepciones.pop(); }],
  ['NOM95', 'deducciones[2].importe', 'incapacidad', (i) => (i.deducciones[2].importe = '1000.00')],
  ['NOM96', 'deducciones[1].importe', 'ordinaria-quincenal', (i) => (i.deducciones[1].importe = '0.00')],
  ['NOM97', 'otros_pagos[0].tipo_otro_pago', 'asimilado-honorarios', (i) => (i.otros_pagos = [{ tipo_otro_pago: '777', clave: 'OTR', concepto: 'Otro', importe: '1.00' }])],
  ['NOM98', 'otros_pagos[1].compensacion_saldos_a_favor', 'ordinaria-quincenal', (i) => i.otros_pagos.push({ tipo_otro_pago: '004', clave: 'SAF', concepto: 'Saldo a favor', importe: '100.00' })],
  ['NOM99', 'otros_pagos[0].subsidio_al_empleo', 'ordinaria-quincenal', (i) => delete i.otros_pagos[0].subsidio_al_empleo],
  ['NOM100', 'otros_pagos[1].importe', 'ordinaria-quincenal', (i) => i.otros_pagos.push({ tipo_otro_pago: '003', clave: 'VIA', concepto: 'Viáticos', importe: '0.00' })],
  ['NOM101', 'otros_pagos[0].subsidio_al_empleo.subsidio_causado', 'subsidio-empleo', (i) => (i.otros_pagos[0].subsidio_al_empleo.subsidio_causado = '475.01')],
  ['NOM102', 'otros_pagos[1].compensacion_saldos_a_favor.remanente_sal_fav', 'ordinaria-quincenal', (i) => i.otros_pagos.push({ tipo_otro_pago: '004', clave: 'SAF', concepto: 'Saldo a favor', importe: '100.00', compensacion_saldos_a_favor: { saldo_a_favor: '100.00', año: 2025, remanente_sal_fav: '100.01' } })],
  ['NOM103', 'otros_pagos[1].compensacion_saldos_a_favor.año', 'ordinaria-quincenal', (i) => i.otros_pagos.push({ tipo_otro_pago: '004', clave: 'SAF', concepto: 'Saldo a favor', importe: '100.00', compensacion_saldos_a_favor: { saldo_a_favor: '200.00', año: 2026, remanente_sal_fav: '100.00' } })],
  ['NOM104', 'incapacidades[0].tipo_incapacidad', 'incapacidad', (i) => (i.incapacidades[0].tipo_incapacidad = '09')],
  ['NOM105', 'otros_pagos', 'ordinaria-quincenal', (i) => (i.otros_pagos = [{ tipo_otro_pago: '003', clave: 'VIA', concepto: 'Viáticos', importe: '10.00' }])],
  ['NOM106', 'otros_pagos[0].tipo_otro_pago', 'asimilado-honorarios', (i) => (i.otros_pagos = [{ tipo_otro_pago: '002', clave: 'SPE', concepto: 'Subsidio', importe: '0.00', subsidio_al_empleo: { subsidio_causado: '0.00' } }])],
  ['NOM107', 'otros_pagos[0].importe', 'subsidio-empleo', (i) => (i.otros_pagos[0].importe = '234.37')],
  ['NOM108', 'otros_pagos[0].subsidio_al_empleo.subsidio_causado', 'subsidio-empleo', (i) => { i.num_dias_pagados = '40'; i.otros_pagos[0].subsidio_al_empleo.subsidio_causado = '625.21'; }],
];

describe('Nómina 1.2 revisión D: each rule applied before stamping', () => {
  it.each(CASOS)('%s at %s', (codigo, ruta, nombre, romper, emisor) => {
    const valido = prepararNomina(leer(nombre), { ...EMISOR, ...emisor }, { ahora: AHORA });
    // NOM6's fixture is valid for the persona moral EMISOR, broken only by the persona física emisor it is run with.
    if (codigo !== 'NOM6' && !valido.ok) throw new Error(JSON.stringify(valido.errors));
    const input = leer(nombre);
    romper(input);
    const r = prepararNomina(input, { ...EMISOR, ...emisor }, { ahora: AHORA });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.filter((e) => e.code === codigo).map((e) => e.path)).toEqual([ruta]);
  });
});
