import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cadenaOriginal } from '../../cadena';
import type { Emisor } from '../../comprobante';
import { leerCsd, type Csd } from '../../csd';
import { verificarCfdi } from '../../verify';
import { renderXml } from '../../xml';
import { emitirComplementoPago } from '..';
import { prepararComprobante } from '../ingreso-egreso';
import { calcularPagos, impuestosDeDocumento, prepararComplementoPago, type PagoEntrada, type Pagos } from '.';

const fixtures = path.resolve(__dirname, '../../../../test/fixtures');
const salida = path.resolve(__dirname, '../../../../test/output/cfdi');
const fixture = (nombre: string) => JSON.parse(readFileSync(path.join(fixtures, 'cfdi', `pago-${nombre}.json`), 'utf8'));

const EMISOR: Emisor = { rfc: 'EKU9003173C9', nombre: 'ESCUELA KEMPER URGATE', regimenFiscal: '601', lugarExpedicion: '42501' };
// The fixtures are dated 2026-11-20T12:00:00 local (Mexico City, UTC−6): one hour later.
const AHORA = new Date('2026-11-20T19:00:00Z');

let csd: Csd;
beforeAll(async () => {
  const leer = (f: string) => new Uint8Array(readFileSync(path.join(fixtures, f)));
  ({ csd } = await leerCsd(leer('EKU9003173C9.cer'), leer('EKU9003173C9.key'), '12345678a', { ahora: AHORA }));
  mkdirSync(salida, { recursive: true });
});

function pagosDe(input: unknown): Pagos {
  const r = prepararComplementoPago(input, EMISOR, { ahora: AHORA });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.pagos;
}

/** The problems reported for `input`, as [path, code] pairs. */
function problemas(input: unknown): [string, string | undefined][] {
  const r = prepararComplementoPago(input, EMISOR, { ahora: AHORA });
  if (r.ok) throw new Error('se esperaban errores');
  return r.errors.map((e) => [e.path, e.code]);
}

/** A fresh copy of a fixture, modified by `cambiar`. */
function variante(nombre: string, cambiar: (input: any) => void) {
  const input = fixture(nombre);
  cambiar(input);
  return input;
}

describe('fixtures sealed with the SAT test CSD (for check-cfdi)', () => {
  // Totales worked out by hand from the fixtures' documents:
  // parcialidades — invoice A: base 10,000 + IVA 1,600 = 11,600; invoice B: base 20,000 + IVA 3,200
  //   − ISR 2,000 = 21,200. Pago 1 pays 5,800 of A (½ → BaseDR 5,000.00, IVA 800.00) and 4,800 of B
  //   (20,000 × 4,800/21,200 = 4,528.30; IVA 724.53; ISR 452.83). Pago 2 pays the other 5,800 of A
  //   (5,000.00 / 800.00), 6,000 of B (20,000 × 10,800/21,200 − 4,528.30 = 10,188.68 − 4,528.30 =
  //   5,660.38; IVA 905.66; ISR 566.04) and 2,000 of C (ObjetoImpDR 01, no taxes).
  //   Base 16%: 5,000 + 4,528.30 + 5,000 + 5,660.38 = 20,188.68; IVA: 800 + 724.53 + 800 + 905.66 =
  //   3,230.19; ISR: 452.83 + 566.04 = 1,018.87; pagos: 10,600 + 13,800 = 24,400.
  // usd — USD 1,000 at 18.50 pays MXN 11,600 of D (all: base 10,000, IVA 1,600) and 6,900 of E (total
  //   23,200, 10,000 paid before: 20,000 × 16,900/23,200 − 20,000 × 10,000/23,200 = 14,568.97 −
  //   8,620.69 = 5,948.28; IVA 951.72), EquivalenciaDR 18.5. BaseP = 15,948.28 / 18.5 = 862.069189,
  //   ImporteP = 2,551.72 / 18.5 = 137.930811; × 18.5 → 15,948.28 and 2,551.72; pagos 1,000 × 18.5.
  // tasa0-exento-usd — half of an invoice of 3,000 at IVA 0% and 2,000 exento (1,500.00 / 0.00 and
  //   1,000.00), plus a USD 116.00 invoice (100 + IVA 16) paid with MXN 2,030 at EquivalenciaDR
  //   0.0571428571 (USD per peso): BaseP = 100 / 0.0571428571 = 1,750.000001, ImporteP = 280.000000.
  const casos: [string, Record<string, string>][] = [
    [
      'parcialidades',
      {
        montoTotalPagos: '24400.00',
        totalTrasladosBaseIVA16: '20188.68',
        totalTrasladosImpuestoIVA16: '3230.19',
        totalRetencionesISR: '1018.87',
      },
    ],
    ['usd', { montoTotalPagos: '18500.00', totalTrasladosBaseIVA16: '15948.28', totalTrasladosImpuestoIVA16: '2551.72' }],
    [
      'tasa0-exento-usd',
      {
        montoTotalPagos: '4530.00',
        totalTrasladosBaseIVA16: '1750.00',
        totalTrasladosImpuestoIVA16: '280.00',
        totalTrasladosBaseIVA0: '1500.00',
        totalTrasladosImpuestoIVA0: '0.00',
        totalTrasladosBaseIVAExento: '1000.00',
      },
    ],
  ];

  it.each(casos)('pago-%s: Totales, sello and the oracle files', async (nombre, totales) => {
    const r = await emitirComplementoPago(fixture(nombre), EMISOR, csd, { ahora: AHORA });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.comprobante.complementos).toHaveLength(1);
    const xmlTotales = /<pago20:Totales ([^>]*)\/>/.exec(r.xml)![1];
    const atributos = Object.fromEntries([...xmlTotales.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    const esperados = Object.fromEntries(Object.entries(totales).map(([k, v]) => [k[0].toUpperCase() + k.slice(1), v]));
    expect(atributos).toEqual(esperados);
    expect((await verificarCfdi(r.xml)).valido).toBe(true);
    writeFileSync(path.join(salida, `pago-${nombre}.xml`), r.xml);
    writeFileSync(path.join(salida, `pago-${nombre}.txt`), cadenaOriginal(r.xml));
  });
});

describe('prepararComplementoPago', () => {
  it('builds the fixed CFDI tipo P around the complement', () => {
    const r = prepararComplementoPago(fixture('parcialidades'), EMISOR, { ahora: AHORA });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const c = r.comprobante;
    expect(c).toMatchObject({
      tipoDeComprobante: 'P',
      subTotal: '0',
      total: '0',
      moneda: 'XXX',
      exportacion: '01',
      fecha: '2026-11-20T12:00:00',
      lugarExpedicion: '42501',
      receptor: { usoCfdi: 'CP01', nombre: 'UNIVERSIDAD ROBOTICA ESPAÑOLA' },
    });
    expect(c.formaPago).toBeUndefined();
    expect(c.metodoPago).toBeUndefined();
    expect(c.impuestos).toBeUndefined();
    expect(c.conceptos).toEqual([
      { claveProdServ: '84111506', cantidad: '1', claveUnidad: 'ACT', descripcion: 'Pago', valorUnitario: '0', importe: '0', objetoImp: '01' },
    ]);
    expect(c.complementos![0].namespaces).toEqual({ pago20: 'http://www.sat.gob.mx/Pagos20' });
    expect(c.complementos![0].schemaLocation).toEqual([
      'http://www.sat.gob.mx/Pagos20 http://www.sat.gob.mx/sitio_internet/cfd/Pagos/Pagos20.xsd',
    ]);
  });

  it('computes balances, prorated ImpuestosDR, Monto and ImpuestosP per payment', () => {
    const [p1, p2] = pagosDe(fixture('parcialidades')).pago;
    expect(p1.doctoRelacionado.map((d) => [d.idDocumento, d.numParcialidad, d.impSaldoAnt, d.impPagado, d.impSaldoInsoluto])).toEqual([
      ['5FB2822E-396D-4725-8521-CDC4BDD20CCA', '1', '11600.00', '5800.00', '5800.00'],
      ['5FB2822E-396D-4725-8521-CDC4BDD20CCB', '1', '21200.00', '4800.00', '16400.00'],
    ]);
    expect(p1.doctoRelacionado[1].impuestosDR).toEqual({
      retencionesDR: [{ baseDR: '4528.30', impuestoDR: '001', tipoFactorDR: 'Tasa', tasaOCuotaDR: '0.100000', importeDR: '452.83' }],
      trasladosDR: [{ baseDR: '4528.30', impuestoDR: '002', tipoFactorDR: 'Tasa', tasaOCuotaDR: '0.160000', importeDR: '724.53' }],
    });
    expect(p1.impuestosP).toEqual({
      retencionesP: [{ impuestoP: '001', importeP: '452.830000' }],
      trasladosP: [{ baseP: '9528.300000', impuestoP: '002', tipoFactorP: 'Tasa', tasaOCuotaP: '0.160000', importeP: '1524.530000' }],
    });
    // Pago 2: no monto given (5,800 + 6,000 + 2,000), a bare date, tipo_cambio 1 for MXN.
    expect([p2.monto, p2.fechaPago, p2.tipoCambioP, p2.formaDePagoP]).toEqual(['13800.00', '2026-11-19T12:00:00', '1', '01']);
    expect(p2.doctoRelacionado.map((d) => d.impSaldoInsoluto)).toEqual(['0.00', '10400.00', '3000.00']);
    expect(p2.doctoRelacionado[1].impuestosDR!.trasladosDR[0]).toMatchObject({ baseDR: '5660.38', importeDR: '905.66' });
    expect(p2.doctoRelacionado[2]).toMatchObject({ objetoImpDR: '01', equivalenciaDR: '1', impuestosDR: undefined });
  });

  it('writes the ObjetoImpDR 01 document without ImpuestosDR and omits absent attributes', () => {
    const r = prepararComplementoPago(fixture('parcialidades'), EMISOR, { ahora: AHORA });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const xml = renderXml(r.comprobante.complementos![0].nodo, { declaration: false });
    expect(xml).toContain(
      '<pago20:DoctoRelacionado IdDocumento="5FB2822E-396D-4725-8521-CDC4BDD20CCC" MonedaDR="MXN" EquivalenciaDR="1" NumParcialidad="1" ImpSaldoAnt="5000.00" ImpPagado="2000.00" ImpSaldoInsoluto="3000.00" ObjetoImpDR="01"/>',
    );
    expect(xml.startsWith('<pago20:Pagos Version="2.0"><pago20:Totales TotalRetencionesISR="1018.87" ')).toBe(true);
    expect(xml).not.toContain('TotalTrasladosBaseIVA8');
    expect(xml).toContain('<pago20:Pago FechaPago="2026-11-19T12:00:00" FormaDePagoP="01" MonedaP="MXN" TipoCambioP="1" Monto="13800.00">');
  });

  it('converts documents in another currency with EquivalenciaDR and escapes text', () => {
    const [p] = pagosDe(fixture('usd')).pago;
    expect([p.monedaP, p.tipoCambioP, p.monto]).toEqual(['USD', '18.5', '1000.00']);
    expect(p.doctoRelacionado.map((d) => [d.equivalenciaDR, d.impuestosDR!.trasladosDR[0].baseDR, d.impuestosDR!.trasladosDR[0].importeDR])).toEqual([
      ['18.5', '10000.00', '1600.00'],
      ['18.5', '5948.28', '951.72'],
    ]);
    expect(p.impuestosP!.trasladosP).toEqual([
      { baseP: '862.069189', impuestoP: '002', tipoFactorP: 'Tasa', tasaOCuotaP: '0.160000', importeP: '137.930811' },
    ]);
    const r = prepararComplementoPago(fixture('usd'), EMISOR, { ahora: AHORA });
    expect(r.ok && renderXml(r.comprobante.complementos![0].nodo, { declaration: false })).toContain('NomBancoOrdExt="BANK OF AMERICA &amp; CO."');
  });

  it('computes a missing Monto in another currency rounded up, so it covers the documents', () => {
    // MXN 1,000.00 at 17.3456 MXN per USD = 57.6515... USD → 57.66
    const input = variante('usd', (i) => {
      delete i.pagos[0].monto;
      i.pagos[0].documentos = [{ ...i.pagos[0].documentos[0], equivalencia: '17.3456', imp_pagado: '1000.00' }];
    });
    expect(pagosDe(input).pago[0].monto).toBe('57.66');
  });

  it('makes the parcialidades of an invoice add up to its base exactly', () => {
    // Invoice: base 258.62 + IVA 41.38 = 300.00, paid in three payments of 100.00. Each third of the
    // base is 86.2066…: rounding each alone would give 86.21 × 3 = 258.63; carrying the cumulative
    // proportion gives 86.21, 172.41 − 86.21 = 86.20 and 258.62 − 172.41 = 86.21.
    const pago = (parcialidad: number, saldo: string): PagoEntrada => ({
      fecha_pago: '2026-11-19T12:00:00',
      forma_pago: '03',
      moneda: 'MXN',
      documentos: [
        {
          uuid: '5FB2822E-396D-4725-8521-CDC4BDD20CCE',
          moneda: 'MXN',
          num_parcialidad: parcialidad,
          imp_saldo_ant: saldo,
          imp_pagado: '100.00',
          objeto_imp: '02',
          total: '300.00',
          impuestos: { traslados: [{ base: '258.62', impuesto: '002', tipo_factor: 'Tasa', tasa_o_cuota: '0.160000' }], retenciones: [] },
        },
      ],
    });
    const r = calcularPagos([pago(1, '300.00'), pago(2, '200.00'), pago(3, '100.00')], '2026-11-20');
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const bases = r.pagos.pago.map((p) => p.doctoRelacionado[0].impuestosDR!.trasladosDR[0].baseDR);
    expect(bases).toEqual(['86.21', '86.20', '86.21']);
    expect(r.pagos.totales.totalTrasladosBaseIVA16).toBe('258.62');
  });

  it('prorates the taxes of an invoice prepared by prepararComprobante (impuestosDeDocumento)', () => {
    const factura = prepararComprobante(
      {
        receptor: { rfc: 'URE180429TM6', nombre: 'UNIVERSIDAD ROBOTICA ESPAÑOLA', domicilio_fiscal: '86991', regimen_fiscal: '601', uso_cfdi: 'G03' },
        forma_pago: '99',
        metodo_pago: 'PPD',
        conceptos: [
          { clave_prod_serv: '81111500', cantidad: '1', clave_unidad: 'E48', descripcion: 'Consultoría', valor_unitario: '20000', objeto_imp: '02',
            impuestos: { traslados: [{ impuesto: '002', tipo_factor: 'Tasa', tasa_o_cuota: '0.16' }], retenciones: [{ impuesto: '001', tipo_factor: 'Tasa', tasa_o_cuota: '0.10' }] } },
          { clave_prod_serv: '81111500', cantidad: '2', clave_unidad: 'E48', descripcion: 'Soporte', valor_unitario: '500', objeto_imp: '02',
            impuestos: { traslados: [{ impuesto: '002', tipo_factor: 'Tasa', tasa_o_cuota: '0.16' }] } },
        ],
      },
      EMISOR,
      { tipo: 'I', ahora: AHORA },
    );
    if (!factura.ok) throw new Error(JSON.stringify(factura.errors));
    const datos = impuestosDeDocumento(factura.comprobante);
    // 21,000 + IVA 3,360 − ISR 2,000 = 22,360
    expect(datos).toEqual({
      moneda: 'MXN',
      total: '22360.00',
      objeto_imp: '02',
      impuestos: {
        traslados: [{ base: '21000', impuesto: '002', tipo_factor: 'Tasa', tasa_o_cuota: '0.160000' }],
        retenciones: [{ base: '20000', impuesto: '001', tipo_factor: 'Tasa', tasa_o_cuota: '0.100000' }],
      },
    });
    const pagos = pagosDe({
      receptor: { rfc: 'URE180429TM6', nombre: 'UNIVERSIDAD ROBOTICA ESPAÑOLA', domicilio_fiscal: '86991', regimen_fiscal: '601' },
      pagos: [{ fecha_pago: '2026-11-20', forma_pago: '03', documentos: [{ ...datos, uuid: '5FB2822E-396D-4725-8521-CDC4BDD20CCD', num_parcialidad: 1, imp_saldo_ant: '22360.00', imp_pagado: '11180.00' }] }],
    });
    expect(pagos.pago[0].doctoRelacionado[0].impuestosDR).toEqual({
      retencionesDR: [{ baseDR: '10000.00', impuestoDR: '001', tipoFactorDR: 'Tasa', tasaOCuotaDR: '0.100000', importeDR: '1000.00' }],
      trasladosDR: [{ baseDR: '10500.00', impuestoDR: '002', tipoFactorDR: 'Tasa', tasaOCuotaDR: '0.160000', importeDR: '1680.00' }],
    });
  });
});

// Each rule of the matrix alone is in reglas-crp20.test.ts; these are how they combine, and HexaFac's own checks.
describe('validation (all problems at once, with their codes)', () => {
  const doc = (input: any, i = 0, j = 0) => input.pagos[i].documentos[j];

  it('reports every problem of every payment and document together, each rule on its own', () => {
    const input = variante('parcialidades', (i) => {
      i.pagos[0].forma_pago = '99';
      doc(i, 0, 0).imp_pagado = '12000.00';
      doc(i, 0, 1).impuestos.traslados[0].tipo_factor = 'Libre';
      doc(i, 1, 2).objeto_imp = '02';
      i.pagos[1].moneda = 'XXX';
      i.receptor.regimen_fiscal = '999';
    });
    expect(problemas(input)).toEqual([
      ['receptor.regimen_fiscal', 'CFDI40157'],
      ['pagos[0].forma_pago', 'CRP20212'],
      // 99 is not among the formas de pago that admit banking data.
      ['pagos[0].rfc_emisor_cta_ord', 'CRP20221'],
      ['pagos[0].cta_ordenante', 'CRP20224'],
      ['pagos[0].rfc_emisor_cta_ben', 'CRP20227'],
      ['pagos[0].cta_beneficiario', 'CRP20228'],
      ['pagos[0].documentos[0].imp_saldo_insoluto', 'CRP20244'],
      ['pagos[0].documentos[1].impuestos.traslados[0].tipo_factor', 'CRP20257'],
      // A wrong document does not hide Monto's own rules, nor a payment in XXX the rules that compare currencies.
      ['pagos[1].moneda', 'CRP20213'],
      ['pagos[1].documentos[0].equivalencia', 'CRP20237'],
      ['pagos[1].documentos[1].equivalencia', 'CRP20237'],
      ['pagos[1].documentos[2].equivalencia', 'CRP20237'],
      ['pagos[1].documentos[2].impuestos', 'CRP20246'],
    ]);
  });

  it('runs the rules over the fields that parsed: a shape error hides only what is said of its own field', () => {
    const input = variante('parcialidades', (i) => {
      i.serie = 'A|B';
      doc(i, 0, 0).imp_pagado = 'mucho';
      doc(i, 0, 1).impuestos.traslados[0].base = '-1';
      i.pagos[0].monto = '100.00';
      i.pagos[1].forma_pago = '99';
      i.pagos[1].monto = '13799.99';
    });
    expect(problemas(input)).toEqual([
      ['serie', 'HFX_FORMATO'],
      ['pagos[0].documentos[0].imp_pagado', 'HFX_FORMATO'],
      ['pagos[0].documentos[1].impuestos.traslados[0].base', 'HFX_FORMATO'],
      // Monto cannot be compared with a document whose ImpPagado is unreadable; the other payment's can.
      ['pagos[1].forma_pago', 'CRP20212'],
      ['pagos[1].monto', 'CRP20217'],
    ]);
  });

  it('judges what ImpuestosDR must contain only when its lines parsed', () => {
    const input = variante('parcialidades', (i) => {
      doc(i).objeto_imp = '07';
      doc(i).impuestos.traslados = ['IEPS'];
    });
    expect(problemas(input)).toEqual([['pagos[0].documentos[0].impuestos.traslados[0]', 'HFX_FORMATO']]);
  });

  it('checks Monto against the documents even when Monto breaks its own rules', () => {
    expect(problemas(variante('parcialidades', (i) => (i.pagos[0].monto = '0')))).toEqual([
      ['pagos[0].monto', 'CRP20218'],
      ['pagos[0].monto', 'CRP20217'],
    ]);
  });

  it('needs the Total of a document with taxes to prorate them (HFX_TOTAL_DOCUMENTO)', () => {
    expect(problemas(variante('parcialidades', (i) => delete doc(i).total))).toEqual([['pagos[0].documentos[0].total', 'HFX_TOTAL_DOCUMENTO']]);
    expect(problemas(variante('parcialidades', (i) => (doc(i).total = '11599.99')))).toEqual([['pagos[0].documentos[0].total', 'HFX_TOTAL_DOCUMENTO']]);
  });

  it('accepts a tax line repeated in one document, as the SAT does, with an advertencia, and adds both into one TrasladoP and RetencionP', () => {
    const repetido = variante('parcialidades', (i) => {
      const d = doc(i, 0, 1);
      d.impuestos.traslados.push({ ...d.impuestos.traslados[0] });
      d.impuestos.retenciones.push({ ...d.impuestos.retenciones[0] });
    });
    const r = prepararComplementoPago(repetido, EMISOR, { ahora: AHORA });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.advertencias?.map((a) => [a.path, a.code])).toEqual([
      ['pagos[0].documentos[1].impuestos.traslados[1]', 'HFX_IMPUESTO_REPETIDO'],
      ['pagos[0].documentos[1].impuestos.retenciones[1]', 'HFX_IMPUESTO_REPETIDO'],
    ]);
    const pago = r.pagos.pago[0];
    expect(pago.doctoRelacionado[1].impuestosDR?.trasladosDR).toHaveLength(2);
    expect(pago.impuestosP?.trasladosP).toEqual([expect.objectContaining({ baseP: '14056.600000', importeP: '2249.060000' })]);
    expect(pago.impuestosP?.retencionesP).toEqual([{ impuestoP: '001', importeP: '905.660000' }]);
  });

  it('accepts IVA 8 % (franja fronteriza) and totals it in TotalTrasladosBaseIVA8 and TotalTrasladosImpuestoIVA8', () => {
    const input = variante('parcialidades', (i) => (doc(i, 0, 0).impuestos.traslados[0].tasa_o_cuota = '0.08'));
    expect(pagosDe(input).totales).toMatchObject({ totalTrasladosBaseIVA8: '5000.00', totalTrasladosImpuestoIVA8: '400.00' });
  });

  it('refuses a FechaPago outside the years t_FechaH admits (2010–2099), and sets no other bound', () => {
    for (const f of ['9999-12-31T12:00:00', '2009-12-31', '1999-01-01T00:00:00', '2026-02-30T10:00:00']) {
      expect(problemas(variante('parcialidades', (i) => (i.pagos[0].fecha_pago = f)))).toEqual([['pagos[0].fecha_pago', 'HFX_FORMATO']]);
    }
    // The matrix bounds FechaPago by nothing else: after the CFDI's Fecha or years before it are allowed.
    for (const f of ['2099-12-31T23:59:59', '2010-01-01']) pagosDe(variante('parcialidades', (i) => (i.pagos[0].fecha_pago = f)));
  });

  it('refuses Totales that pass t_Importe once converted to MXN', () => {
    const pagoEnUsd = (monto: string) =>
      variante('parcialidades', (i) => {
        const documento = { ...doc(i), moneda: 'USD', imp_saldo_ant: monto, imp_pagado: monto, objeto_imp: '01', total: monto };
        delete documento.impuestos;
        i.pagos = [{ fecha_pago: '2026-11-18T10:15:00', forma_pago: '03', moneda: 'USD', tipo_cambio: '20', monto, documentos: [documento] }];
      });
    expect(pagosDe(pagoEnUsd('10000000000000000')).totales.montoTotalPagos).toBe('200000000000000000.00');
    expect(problemas(pagoEnUsd('100000000000000000'))).toEqual([['pagos', 'HFX_XSD']]);
  });

  it('chains the balance of a document paid twice in one CFDI (HFX_SALDO_ENCADENADO)', () => {
    const input = variante('parcialidades', (i) => {
      doc(i, 1, 0).imp_saldo_ant = '5900.00';
      doc(i, 1, 0).imp_pagado = '5900.00';
    });
    expect(problemas(input)).toEqual([['pagos[1].documentos[0].imp_saldo_ant', 'HFX_SALDO_ENCADENADO']]);
  });

  it('reports shape problems with their JSON paths', () => {
    const input = variante('parcialidades', (i) => {
      i.receptor.uso_cfdi = 'G03';
      doc(i).uuid = 'no-es-uuid';
      doc(i).num_parcialidad = 0;
    });
    expect(problemas(input).map(([p]) => p)).toEqual([
      'receptor.uso_cfdi',
      'pagos[0].documentos[0].uuid',
      'pagos[0].documentos[0].num_parcialidad',
    ]);
  });

  it('refuses fields it does not know, at every level', () => {
    const input = variante('parcialidades', (i) => {
      i.confirmacion = 'ABC12';
      i.receptor.extra = 1;
      i.pagos[0].tipo_cad_pago = '01';
      doc(i, 0, 1).impuestos.traslados[0].importe = '800.00';
    });
    expect(problemas(input).map(([p]) => p)).toEqual(
      expect.arrayContaining(['confirmacion', 'receptor.extra', 'pagos[0].tipo_cad_pago', 'pagos[0].documentos[1].impuestos.traslados[0].importe']),
    );
  });
});
