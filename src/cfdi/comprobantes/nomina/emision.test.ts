import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cadenaOriginal } from '../../cadena';
import type { Emisor } from '../../comprobante';
import { leerCsd, type Csd } from '../../csd';
import { verificarCfdi } from '../../verify';
import { emitirNomina } from '..';
import { prepararNomina } from '.';

const fixtures = path.resolve(__dirname, '../../../../test/fixtures');
const salida = path.resolve(__dirname, '../../../../test/output/cfdi');
const fixture = (nombre: string) => JSON.parse(readFileSync(path.join(fixtures, 'cfdi', 'nomina', `${nombre}.json`), 'utf8'));

const EMISOR: Emisor = { rfc: 'EKU9003173C9', nombre: 'ESCUELA KEMPER URGATE', regimenFiscal: '601', lugarExpedicion: '42501' };
// The fixtures are dated 2026-11-20T12:00:00 local (Mexico City, UTC−6): one hour later.
const AHORA = new Date('2026-11-20T19:00:00Z');

let csd: Csd;
beforeAll(async () => {
  const leer = (f: string) => new Uint8Array(readFileSync(path.join(fixtures, f)));
  ({ csd } = await leerCsd(leer('EKU9003173C9.cer'), leer('EKU9003173C9.key'), '12345678a', { ahora: AHORA }));
  mkdirSync(salida, { recursive: true });
});

describe('recibos de nómina sealed with the SAT test CSD (for check-cfdi)', () => {
  // SubTotal = percepciones + otros pagos, Descuento = deducciones, worked out by hand from each fixture.
  const casos: [string, { subTotal: string; descuento: string; total: string }][] = [
    ['ordinaria-quincenal', { subTotal: '8000.00', descuento: '873.87', total: '7126.13' }],
    ['extraordinaria-aguinaldo-ptu', { subTotal: '15000.00', descuento: '2045.12', total: '12954.88' }],
    ['separacion-indemnizacion', { subTotal: '62000.00', descuento: '9850.00', total: '52150.00' }],
    ['jubilacion', { subTotal: '21000.00', descuento: '850.00', total: '20150.00' }],
    ['horas-extra', { subTotal: '4500.00', descuento: '398.50', total: '4101.50' }],
    ['incapacidad', { subTotal: '6500.00', descuento: '1945.00', total: '4555.00' }],
    ['subsidio-empleo', { subTotal: '4302.35', descuento: '98.40', total: '4203.95' }],
    ['asimilado-honorarios', { subTotal: '20000.00', descuento: '3563.21', total: '16436.79' }],
  ];

  it.each(casos)('nomina-%s: amounts, sello and the oracle files', async (nombre, importes) => {
    const r = await emitirNomina(fixture(nombre), EMISOR, csd, { ahora: AHORA });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.comprobante).toMatchObject({ ...importes, tipoDeComprobante: 'N', moneda: 'MXN', exportacion: '01', metodoPago: 'PUE' });
    expect(r.comprobante.conceptos).toEqual([
      { claveProdServ: '84111505', cantidad: '1', claveUnidad: 'ACT', descripcion: 'Pago de nómina', valorUnitario: importes.subTotal, importe: importes.subTotal, descuento: importes.descuento, objetoImp: '01' },
    ]);
    expect(r.comprobante.formaPago).toBeUndefined();
    expect(r.comprobante.impuestos).toBeUndefined();
    expect(r.xml).toContain('xmlns:nomina12="http://www.sat.gob.mx/nomina12"');
    expect((await verificarCfdi(r.xml)).valido).toBe(true);
    writeFileSync(path.join(salida, `nomina-${nombre}.xml`), r.xml);
    writeFileSync(path.join(salida, `nomina-${nombre}.txt`), cadenaOriginal(r.xml));
  });
});

describe('prepararNomina', () => {
  it('computes the totals of each kind of percepción and the ISR apart', () => {
    const r = prepararNomina(fixture('separacion-indemnizacion'), EMISOR, { ahora: AHORA });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.nomina.percepciones).toMatchObject({ totalSeparacionIndemnizacion: '62000.00', totalGravado: '36000.00', totalExento: '26000.00' });
    expect(r.nomina.percepciones?.totalSueldos).toBeUndefined();
    expect(r.nomina).toMatchObject({ totalPercepciones: '62000.00', totalDeducciones: '9850.00', totalOtrosPagos: '0.00' });
    expect(r.nomina.deducciones).toMatchObject({ totalImpuestosRetenidos: '9850.00' });
    expect(r.nomina.deducciones?.totalOtrasDeducciones).toBeUndefined();
  });

  it('computes the antigüedad in weeks when only the start is given', () => {
    const r = prepararNomina(fixture('ordinaria-quincenal'), EMISOR, { ahora: AHORA });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    // 2020-03-01 to 2026-11-15: 2451 days, both counted = 2452 → 350 whole weeks.
    expect(r.nomina.receptor.antigüedad).toBe('P350W');
    expect(r.comprobante.receptor).toMatchObject({ regimenFiscalReceptor: '605', usoCfdi: 'CN01' });
  });

  it('refuses deducciones above percepciones plus otros pagos', () => {
    const input = fixture('asimilado-honorarios');
    input.deducciones[0].importe = '20000.01';
    const r = prepararNomina(input, EMISOR, { ahora: AHORA });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toContainEqual(expect.objectContaining({ path: 'deducciones', code: 'CFDI40169' }));
  });

  // what the regex and decimal(3) let through and the PAC's nomina12.xsd refuses (xs:date; 0.001 ≤ NumDiasPagados ≤ 36160)
  it.each([
    ['fecha_pago', '2026-02-30'],
    ['fecha_inicial_pago', '2025-02-29'],
    ['num_dias_pagados', '0'],
    ['num_dias_pagados', '36160.001'],
  ])('refuses %s %s before stamping', (campo, valor) => {
    const r = prepararNomina({ ...fixture('ordinaria-quincenal'), [campo]: valor }, EMISOR, { ahora: AHORA });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.path)).toContain(campo);
  });
});
