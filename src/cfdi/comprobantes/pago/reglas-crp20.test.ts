import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Emisor } from '../../comprobante';
import { prepararComplementoPago } from '.';
import { REGLAS_CRP20 } from './reglas-crp20';

// One test per rule of the matriz de errores that HexaFac applies before stamping (reglas-crp20.ts names
// each): a fixture broken the way the rule describes gets the SAT's code at the field's path, and a nearby
// input the rule allows is accepted.

const fixtures = path.resolve(__dirname, '../../../../test/fixtures/cfdi');
type Fixture = 'parcialidades' | 'usd' | 'tasa0-exento-usd';
const EMISOR: Emisor = { rfc: 'EKU9003173C9', nombre: 'ESCUELA KEMPER URGATE', regimenFiscal: '601', lugarExpedicion: '42501' };
const AHORA = new Date('2026-11-20T19:00:00Z');

function variante(nombre: Fixture, cambiar: (input: any) => void) {
  const input = JSON.parse(readFileSync(path.join(fixtures, `pago-${nombre}.json`), 'utf8'));
  cambiar(input);
  return input;
}
const preparar = (input: unknown) => prepararComplementoPago(input, EMISOR, { ahora: AHORA });
const doc = (input: any, i = 0, j = 0) => input.pagos[i].documentos[j];
const linea = (input: any, tipo: 'traslados' | 'retenciones') => doc(input, 0, 1).impuestos[tipo][0];
const LINEA = (tipo: 'traslados' | 'retenciones') => `pagos[0].documentos[1].impuestos.${tipo}[0]`;

/**
 * Each of `invalidos` breaks `codigo` exactly at `ruta` (no other field gets that code); `valido` is allowed
 * (the whole input is accepted).
 */
function regla(codigo: string, ruta: string, base: Fixture, invalidos: ((i: any) => void)[], valido: (i: any) => void) {
  for (const invalido of invalidos) {
    const r = preparar(variante(base, invalido));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.filter((e) => e.code === codigo).map((e) => e.path)).toEqual([ruta]);
  }
  const r = preparar(variante(base, valido));
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
}

describe('Pago', () => {
  it('CRP20212 FormaDePagoP 99', () =>
    regla('CRP20212', 'pagos[1].forma_pago', 'parcialidades', [(i) => (i.pagos[1].forma_pago = '99')], (i) => (i.pagos[1].forma_pago = '31')));

  it('CRP20213 MonedaP XXX', () => regla('CRP20213', 'pagos[0].moneda', 'usd', [(i) => (i.pagos[0].moneda = 'XXX')], (i) => (i.pagos[0].moneda = 'EUR')));

  it('CRP20214 MonedaP distinta de MXN sin TipoCambioP', () =>
    regla('CRP20214', 'pagos[0].tipo_cambio', 'usd', [(i) => delete i.pagos[0].tipo_cambio], (i) => (i.pagos[0].tipo_cambio = '0.000001')));

  it('CRP20215 MonedaP MXN con TipoCambioP distinto de 1', () =>
    regla('CRP20215', 'pagos[1].tipo_cambio', 'parcialidades', [(i) => (i.pagos[1].tipo_cambio = '1.5')], (i) => (i.pagos[1].tipo_cambio = '1.000000')));

  it('CRP20217 misma moneda: la suma de ImpPagado mayor que Monto', () =>
    regla('CRP20217', 'pagos[0].monto', 'parcialidades', [(i) => (i.pagos[0].monto = '10599.99')], (i) => (i.pagos[0].monto = '10600.01')));

  it('CRP20218 Monto cero', () =>
    regla('CRP20218', 'pagos[1].monto', 'parcialidades', [(i) => (i.pagos[1].monto = '0')], (i) => (i.pagos[1].monto = '13800.00')));

  it('CRP20219 Monto con más decimales que MonedaP', () =>
    regla('CRP20219', 'pagos[0].monto', 'parcialidades', [(i) => (i.pagos[0].monto = '10600.001')], (i) => (i.pagos[0].monto = '10600.1')));

  it('CRP20276 monedas distintas: Monto fuera de la suma de los límites de cada ImpPagado', () =>
    // Límites truncados: MXN 2,500.00 con EquivalenciaDR 1 a 10 decimales (CRP20277) → 2,499.99; USD 116.00
    // con 0.0571428571 → 2,029.91. Su suma, 4,529.90, es el menor Monto posible.
    regla('CRP20276', 'pagos[0].monto', 'tasa0-exento-usd', [(i) => (i.pagos[0].monto = '4529.89')], (i) => (i.pagos[0].monto = '4529.90')));
});

describe('Pago: datos bancarios según c_FormaPago', () => {
  it('CRP20221 RfcEmisorCtaOrd con una forma de pago que no lo admite', () =>
    regla(
      'CRP20221',
      'pagos[1].rfc_emisor_cta_ord',
      'parcialidades',
      [(i) => (i.pagos[1].rfc_emisor_cta_ord = 'BMI9704113PA'), (i) => Object.assign(i.pagos[1], { forma_pago: '99', rfc_emisor_cta_ord: 'BMI9704113PA' })],
      (i) => Object.assign(i.pagos[1], { forma_pago: '06', rfc_emisor_cta_ord: 'BMI9704113PA' }),
    ));

  it('CRP20223 RfcEmisorCtaOrd XEXX010101000 sin NomBancoOrdExt', () =>
    regla('CRP20223', 'pagos[0].nom_banco_ord_ext', 'usd', [(i) => delete i.pagos[0].nom_banco_ord_ext], (i) => {
      i.pagos[0].rfc_emisor_cta_ord = 'BMI9704113PA';
      delete i.pagos[0].nom_banco_ord_ext;
    }));

  it('CRP20224 CtaOrdenante con una forma de pago que no la admite', () =>
    regla(
      'CRP20224',
      'pagos[1].cta_ordenante',
      'parcialidades',
      [(i) => (i.pagos[1].cta_ordenante = '012180001234567897')],
      (i) => Object.assign(i.pagos[1], { forma_pago: '06', cta_ordenante: '1234567890' }),
    ));

  it('CRP20225 CtaOrdenante fuera del patrón de su forma de pago', () =>
    regla(
      'CRP20225',
      'pagos[0].cta_ordenante',
      'parcialidades',
      [(i) => (i.pagos[0].cta_ordenante = '1234567890123'), (i) => Object.assign(i.pagos[0], { forma_pago: '04', cta_ordenante: '012180001234567897' })],
      (i) => Object.assign(i.pagos[0], { forma_pago: '04', cta_ordenante: '4152313812345678' }),
    ));

  it('CRP20226 CtaBeneficiario fuera del patrón de su forma de pago', () =>
    regla(
      'CRP20226',
      'pagos[0].cta_beneficiario',
      'parcialidades',
      [(i) => (i.pagos[0].cta_beneficiario = '01980050001'), (i) => (i.pagos[0].cta_beneficiario = 'CUENTA_0001')],
      (i) => Object.assign(i.pagos[0], { forma_pago: '02', cta_beneficiario: 'CUENTA_0001' }),
    ));

  it('CRP20227 RfcEmisorCtaBen con una forma de pago que no lo admite', () =>
    regla(
      'CRP20227',
      'pagos[0].rfc_emisor_cta_ben',
      'parcialidades',
      [(i) => Object.assign(i.pagos[0], { forma_pago: '06', cta_ordenante: '1234567890', cta_beneficiario: undefined })],
      (i) => Object.assign(i.pagos[0], { forma_pago: '28', cta_ordenante: '4152313812345678' }),
    ));

  it('CRP20228 CtaBeneficiario con una forma de pago que no la admite', () =>
    regla(
      'CRP20228',
      'pagos[0].cta_beneficiario',
      'parcialidades',
      [(i) => Object.assign(i.pagos[0], { forma_pago: '06', cta_ordenante: '1234567890', rfc_emisor_cta_ben: undefined })],
      (i) => Object.assign(i.pagos[0], { forma_pago: '29', cta_ordenante: '376612345678901' }),
    ));
});

describe('DoctoRelacionado', () => {
  it('CRP20236 MonedaDR XXX', () =>
    regla('CRP20236', 'pagos[0].documentos[0].moneda', 'usd', [(i) => (doc(i).moneda = 'XXX')], (i) => (doc(i).moneda = 'EUR')));

  it('CRP20237 MonedaDR distinta de MonedaP sin EquivalenciaDR', () =>
    regla('CRP20237', 'pagos[0].documentos[0].equivalencia', 'usd', [(i) => delete doc(i).equivalencia], (i) => (doc(i).equivalencia = '18.4999999999')));

  it('CRP20238 MonedaDR igual a MonedaP con EquivalenciaDR distinta de 1', () =>
    regla(
      'CRP20238',
      'pagos[0].documentos[0].equivalencia',
      'parcialidades',
      [(i) => (doc(i).equivalencia = '2')],
      (i) => (doc(i).equivalencia = '1.0000000000'),
    ));

  it('CRP20239 ImpSaldoAnt cero', () =>
    regla('CRP20239', 'pagos[1].documentos[2].imp_saldo_ant', 'parcialidades', [(i) => (doc(i, 1, 2).imp_saldo_ant = '0')], (i) => (doc(i, 1, 2).imp_saldo_ant = '2000.00')));

  it('CRP20240 ImpSaldoAnt con más decimales que MonedaDR', () =>
    regla('CRP20240', 'pagos[1].documentos[2].imp_saldo_ant', 'parcialidades', [(i) => (doc(i, 1, 2).imp_saldo_ant = '5000.001')], (i) => (doc(i, 1, 2).imp_saldo_ant = '5000.1')));

  it('CRP20241 ImpPagado cero', () =>
    regla('CRP20241', 'pagos[1].documentos[2].imp_pagado', 'parcialidades', [(i) => (doc(i, 1, 2).imp_pagado = '0')], (i) => (doc(i, 1, 2).imp_pagado = '0.01')));

  it('CRP20242 ImpPagado con más decimales que MonedaDR', () =>
    regla('CRP20242', 'pagos[1].documentos[2].imp_pagado', 'parcialidades', [(i) => (doc(i, 1, 2).imp_pagado = '2000.001')], (i) => (doc(i, 1, 2).imp_pagado = '2000.1')));

  it('CRP20243 ImpSaldoInsoluto con más decimales que MonedaDR', () =>
    regla('CRP20243', 'pagos[0].documentos[1].imp_saldo_insoluto', 'parcialidades', [(i) => (doc(i, 0, 1).imp_saldo_insoluto = '16400.001')], (i) => (doc(i, 0, 1).imp_saldo_insoluto = '16400')));

  it('CRP20244 ImpSaldoInsoluto negativo o distinto de ImpSaldoAnt menos ImpPagado', () =>
    regla(
      'CRP20244',
      'pagos[1].documentos[2].imp_saldo_insoluto',
      'parcialidades',
      [(i) => (doc(i, 1, 2).imp_saldo_insoluto = '3000.01'), (i) => (doc(i, 1, 2).imp_pagado = '5000.01')],
      (i) => Object.assign(doc(i, 1, 2), { imp_pagado: '5000.00', imp_saldo_insoluto: '0' }),
    ));

  it('CRP20245 ObjetoImpDR fuera de c_ObjetoImp', () =>
    regla('CRP20245', 'pagos[1].documentos[2].objeto_imp', 'parcialidades', [(i) => (doc(i, 1, 2).objeto_imp = '09')], (i) => (doc(i, 1, 2).objeto_imp = '04')));

  it('CRP20246 ObjetoImpDR 02 sin ImpuestosDR', () =>
    regla('CRP20246', 'pagos[1].documentos[2].impuestos', 'parcialidades', [(i) => (doc(i, 1, 2).objeto_imp = '02')], (i) => (doc(i, 1, 2).objeto_imp = '03')));

  it('CRP20247 ObjetoImpDR 01, 03, 04 o 05 con ImpuestosDR', () =>
    regla(
      'CRP20247',
      'pagos[0].documentos[0].impuestos',
      'parcialidades',
      ['01', '03', '04', '05'].map((objeto) => (i) => (doc(i).objeto_imp = objeto)),
      (i) => (doc(i).objeto_imp = '02'),
    ));

  it('CRP20248 ImpuestosDR sin traslados ni retenciones', () =>
    regla(
      'CRP20248',
      'pagos[0].documentos[0].impuestos',
      'parcialidades',
      [(i) => (doc(i).impuestos = { traslados: [], retenciones: [] }), (i) => (doc(i).impuestos = {})],
      (i) => (doc(i).impuestos = { retenciones: [{ base: '10000.00', impuesto: '001', tipo_factor: 'Tasa', tasa_o_cuota: '0.10' }] }),
    ));

  it('CRP20278 ObjetoImpDR 06 u 08 con IVA o IEPS', () =>
    regla(
      'CRP20278',
      'pagos[0].documentos[1].impuestos',
      'parcialidades',
      [(i) => (doc(i, 0, 1).objeto_imp = '06'), (i) => (doc(i, 0, 1).objeto_imp = '08')],
      (i) => Object.assign(doc(i, 0, 1), { objeto_imp: '06', impuestos: { retenciones: doc(i, 0, 1).impuestos.retenciones } }),
    ));

  it('CRP20279 ObjetoImpDR 07 con IVA o sin traslado de IEPS', () =>
    regla(
      'CRP20279',
      'pagos[0].documentos[1].impuestos',
      'parcialidades',
      [(i) => (doc(i, 0, 1).objeto_imp = '07'), (i) => Object.assign(doc(i, 0, 1), { objeto_imp: '07', impuestos: { retenciones: doc(i, 0, 1).impuestos.retenciones } })],
      (i) => {
        Object.assign(doc(i, 0, 1), { objeto_imp: '07' });
        Object.assign(linea(i, 'traslados'), { impuesto: '003', tasa_o_cuota: '0.265000' });
        Object.assign(linea(i, 'retenciones'), { impuesto: '003', tasa_o_cuota: '0.300000' });
      },
    ));
});

describe('ImpuestosDR', () => {
  it('CRP20249 RetencionDR con BaseDR cero', () =>
    regla('CRP20249', `${LINEA('retenciones')}.base`, 'parcialidades', [(i) => (linea(i, 'retenciones').base = '0')], (i) => (linea(i, 'retenciones').base = '1.00')));

  it('CRP20250 RetencionDR con ImpuestoDR fuera de c_Impuesto', () =>
    regla('CRP20250', `${LINEA('retenciones')}.impuesto`, 'parcialidades', [(i) => (linea(i, 'retenciones').impuesto = '004')], (i) => (linea(i, 'retenciones').impuesto = '002')));

  it('CRP20251 RetencionDR con TipoFactorDR fuera de c_TipoFactor', () =>
    regla('CRP20251', `${LINEA('retenciones')}.tipo_factor`, 'parcialidades', [(i) => (linea(i, 'retenciones').tipo_factor = 'Libre')], (i) => (linea(i, 'retenciones').tipo_factor = 'Tasa')));

  it('CRP20252 RetencionDR Exento', () =>
    regla('CRP20252', `${LINEA('retenciones')}.tipo_factor`, 'parcialidades', [(i) => (linea(i, 'retenciones').tipo_factor = 'Exento')], (i) => (linea(i, 'retenciones').tasa_o_cuota = '0.35')));

  it('CRP20253 RetencionDR con TasaOCuotaDR fuera de c_TasaOCuota', () =>
    regla(
      'CRP20253',
      `${LINEA('retenciones')}.tasa_o_cuota`,
      'parcialidades',
      [(i) => (linea(i, 'retenciones').tasa_o_cuota = '0.350001'), (i) => delete linea(i, 'retenciones').tasa_o_cuota],
      (i) => Object.assign(linea(i, 'retenciones'), { impuesto: '002', tasa_o_cuota: '0.106667' }),
    ));

  it('CRP20255 TrasladoDR con BaseDR cero', () =>
    regla('CRP20255', `${LINEA('traslados')}.base`, 'parcialidades', [(i) => (linea(i, 'traslados').base = '0')], (i) => (linea(i, 'traslados').base = '1.00')));

  it('CRP20256 TrasladoDR con ImpuestoDR fuera de c_Impuesto', () =>
    regla(
      'CRP20256',
      `${LINEA('traslados')}.impuesto`,
      'parcialidades',
      [(i) => (linea(i, 'traslados').impuesto = '005')],
      (i) => Object.assign(linea(i, 'traslados'), { impuesto: '003', tasa_o_cuota: '0.265000' }),
    ));

  it('CRP20257 TrasladoDR con TipoFactorDR fuera de c_TipoFactor', () =>
    regla(
      'CRP20257',
      `${LINEA('traslados')}.tipo_factor`,
      'parcialidades',
      [(i) => (linea(i, 'traslados').tipo_factor = 'tasa')],
      (i) => Object.assign(linea(i, 'traslados'), { tipo_factor: 'Exento', tasa_o_cuota: undefined }),
    ));

  it('CRP20258 TrasladoDR Exento con TasaOCuotaDR', () =>
    regla(
      'CRP20258',
      `${LINEA('traslados')}.tasa_o_cuota`,
      'parcialidades',
      [(i) => (linea(i, 'traslados').tipo_factor = 'Exento')],
      (i) => Object.assign(linea(i, 'traslados'), { tipo_factor: 'Exento', tasa_o_cuota: undefined }),
    ));

  it('CRP20259 TrasladoDR Tasa o Cuota sin TasaOCuotaDR', () =>
    regla(
      'CRP20259',
      `${LINEA('traslados')}.tasa_o_cuota`,
      'parcialidades',
      [(i) => delete linea(i, 'traslados').tasa_o_cuota, (i) => Object.assign(linea(i, 'traslados'), { impuesto: '003', tipo_factor: 'Cuota', tasa_o_cuota: undefined })],
      (i) => Object.assign(linea(i, 'traslados'), { impuesto: '003', tipo_factor: 'Cuota', tasa_o_cuota: '1.5' }),
    ));

  it('CRP20260 TrasladoDR con TasaOCuotaDR fuera de c_TasaOCuota', () =>
    regla(
      'CRP20260',
      `${LINEA('traslados')}.tasa_o_cuota`,
      'parcialidades',
      [(i) => (linea(i, 'traslados').tasa_o_cuota = '0.17'), (i) => (linea(i, 'traslados').impuesto = '001')],
      // IVA 8 %: c_TasaOCuota lists it under "IVA Crédito aplicado del 50%".
      (i) => (linea(i, 'traslados').tasa_o_cuota = '0.080000'),
    ));
});

describe('REGLAS_CRP20', () => {
  const codigos = [...Array.from({ length: 23 }, (_, k) => 101 + k), ...Array.from({ length: 79 }, (_, k) => 201 + k), 999].map((n) => `CRP20${n}`);

  it('classifies every code of the matrix once', () => {
    expect(REGLAS_CRP20.map((r) => r.codigo)).toEqual(codigos);
  });

  it('names a test of this file for every aplicada rule, and every rule tested here is aplicada', () => {
    const fuente = readFileSync(__filename, 'utf8');
    const probadas = [...fuente.matchAll(/^ {2}it\('(CRP20\d{3}) ([^']*)'/gm)].map((m) => ({ codigo: m[1], prueba: `src/cfdi/comprobantes/pago/reglas-crp20.test.ts > ${m[1]} ${m[2]}` }));
    const aplicadas = REGLAS_CRP20.filter((r) => r.estado === 'aplicada').map((r) => ({ codigo: r.codigo, prueba: r.prueba }));
    expect(aplicadas).toEqual(probadas.sort((a, b) => a.codigo.localeCompare(b.codigo)));
  });
});
