import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cadenaOriginal } from '../../cadena';
import type { Emisor } from '../../comprobante';
import { leerCsd, type Csd } from '../../csd';
import { parseXml } from '../../dom';
import { comprobanteXml } from '../../emision';
import { verificarCfdi } from '../../verify';
import { el } from '../../xml';
import { emitirCfdi } from '..';
import { prepararComprobante } from '.';

const root = path.resolve(__dirname, '../../../..');
const fixtures = path.join(root, 'test/fixtures');
const output = path.join(root, 'test/output/cfdi');
const fixture = (name: string): unknown => JSON.parse(readFileSync(path.join(fixtures, 'cfdi', `${name}.json`), 'utf8'));

const EMISOR: Emisor = { rfc: 'EKU9003173C9', nombre: 'ESCUELA KEMPER URGATE', regimenFiscal: '601', lugarExpedicion: '42501' };
/** 12:00 in Mexico City (UTC−6, no daylight saving since 2022). */
const AHORA = new Date('2026-11-20T18:00:00Z');

interface Esperado {
  tipo: 'I' | 'E';
  subTotal: string;
  descuento?: string;
  trasladados?: string;
  retenidos?: string;
  total: string;
}

// Totals worked out by hand from each fixture (IVA 16% unless said otherwise).
const CASOS: Record<string, Esperado> = {
  // 2 × 1500 + 250.50 = 3250.50; IVA 480 + 40.08 = 520.08
  'ingreso-pue': { tipo: 'I', subTotal: '3250.50', trasladados: '520.08', total: '3770.58' },
  // 10 × 99.99 = 999.90; IVA 159.984 → 159.98
  'ingreso-ppd': { tipo: 'I', subTotal: '999.90', trasladados: '159.98', total: '1159.88' },
  // 3000 + 91 = 3091; descuentos 300 + 9.10; IVA 2700 × .16 = 432 and 81.90 × .16 = 13.104 → 445.10
  descuentos: { tipo: 'I', subTotal: '3091.00', descuento: '309.10', trasladados: '445.10', total: '3227.00' },
  // 10000; IVA 1600; ISR 10% 1000 + IVA retenido 10000 × 0.106667 = 1066.67
  retenciones: { tipo: 'I', subTotal: '10000.00', trasladados: '1600.00', retenidos: '2066.67', total: '9533.33' },
  // exento: no tax amount at all
  exento: { tipo: 'I', subTotal: '4500.00', total: '4500.00' },
  // 5 × 20 at 0% + 200 at 16% = 32
  'tasa-cero': { tipo: 'I', subTotal: '300.00', trasladados: '32.00', total: '332.00' },
  // 100 + 40 × 23.50 = 1040; IEPS 8% = 8; IEPS cuota 40 L × 6.1752 = 247.008 → 247.01;
  // IVA over importe + IEPS: 108 × .16 = 17.28 and 1187.008 × .16 = 189.92128 → 207.20128 → 207.20
  ieps: { tipo: 'I', subTotal: '1040.00', trasladados: '462.21', total: '1502.21' },
  // 2 × 1200 USD; IVA 384
  usd: { tipo: 'I', subTotal: '2400.00', trasladados: '384.00', total: '2784.00' },
  // 862.07 + 431.03 = 1293.10; IVA 137.9312 + 68.9648 = 206.896 → 206.90
  'publico-general': { tipo: 'I', subTotal: '1293.10', trasladados: '206.90', total: '1500.00' },
  'egreso-nota-credito': { tipo: 'E', subTotal: '100.00', trasladados: '16.00', total: '116.00' },
  // 3.5 × 320.10 = 1120.35; IVA 179.256 → 179.26
  'nombres-no-ascii': { tipo: 'I', subTotal: '1120.35', trasladados: '179.26', total: '1299.61' },
};

let csd: Csd;
beforeAll(async () => {
  const cer = new Uint8Array(readFileSync(path.join(fixtures, 'EKU9003173C9.cer')));
  const key = new Uint8Array(readFileSync(path.join(fixtures, 'EKU9003173C9.key')));
  ({ csd } = await leerCsd(cer, key, '12345678a', { rfcEmisor: EMISOR.rfc, ahora: AHORA }));
  mkdirSync(output, { recursive: true });
});

const attr = (xml: string, name: string) => parseXml(xml).attrs.find((a) => a.qname === name)?.value;

describe('emitirCfdi: fixtures sealed with the SAT test CSD', () => {
  for (const [name, esperado] of Object.entries(CASOS)) {
    it(name, async () => {
      const r = await emitirCfdi(fixture(name), EMISOR, csd, { tipo: esperado.tipo, ahora: AHORA });
      if (!r.ok) throw new Error(JSON.stringify(r.errors, null, 2));
      const c = r.comprobante;
      expect(c.tipoDeComprobante).toBe(esperado.tipo);
      expect(c.subTotal).toBe(esperado.subTotal);
      expect(c.descuento).toBe(esperado.descuento);
      expect(c.impuestos?.totalImpuestosTrasladados).toBe(esperado.trasladados);
      expect(c.impuestos?.totalImpuestosRetenidos).toBe(esperado.retenidos);
      expect(c.total).toBe(esperado.total);

      expect(attr(r.xml, 'Total')).toBe(esperado.total);
      expect(attr(r.xml, 'NoCertificado')).toBe(csd.noCertificado);
      expect((await verificarCfdi(r.xml)).valido).toBe(true);
      writeFileSync(path.join(output, `${name}.xml`), r.xml);
      writeFileSync(path.join(output, `${name}.txt`), cadenaOriginal(r.xml));
    });
  }
});

describe('prepararComprobante', () => {
  it('fills Fecha with the local time at LugarExpedicion when omitted', () => {
    const r = prepararComprobante(fixture('ingreso-pue'), EMISOR, { tipo: 'I', ahora: AHORA });
    expect(r.ok && r.comprobante.fecha).toBe('2026-11-20T12:00:00');
    const tijuana = prepararComprobante(fixture('ingreso-pue'), { ...EMISOR, lugarExpedicion: '22000' }, { tipo: 'I', ahora: AHORA });
    expect(tijuana.ok && tijuana.comprobante.fecha).toBe('2026-11-20T10:00:00');
  });

  it('keeps an explicit Fecha', () => {
    const r = prepararComprobante(fixture('ingreso-ppd'), EMISOR, { tipo: 'I', ahora: AHORA });
    expect(r.ok && r.comprobante.fecha).toBe('2026-11-19T09:15:00');
  });

  it('reports shape errors with their JSON path', () => {
    const input = fixture('ingreso-pue') as { conceptos: Record<string, unknown>[] };
    input.conceptos[1].cantidad = 'dos';
    delete input.conceptos[0].descripcion;
    const r = prepararComprobante(input, EMISOR, { tipo: 'I', ahora: AHORA });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors.map((e) => e.path).sort()).toEqual(['conceptos[0].descripcion', 'conceptos[1].cantidad']);
  });

  it('reports every fiscal problem at once', () => {
    const input = fixture('ingreso-pue') as Record<string, unknown> & { receptor: Record<string, string> };
    input.forma_pago = '98';
    input.moneda = 'USD';
    input.receptor.uso_cfdi = 'D01';
    const r = prepararComprobante(input, EMISOR, { tipo: 'I', ahora: AHORA });
    expect(!r.ok && r.errors.map((e) => e.code)).toEqual(['CFDI40161', 'CFDI40104', 'CFDI40115']);
  });
});

describe('comprobanteXml', () => {
  it('writes E with uppercase related UUIDs, USD with TipoCambio, Exento without TasaOCuota, no empty attributes', () => {
    const prep = (name: string) => {
      const r = prepararComprobante(fixture(name), EMISOR, { tipo: CASOS[name].tipo, ahora: AHORA });
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      return comprobanteXml(r.comprobante);
    };
    const egreso = prep('egreso-nota-credito');
    expect(egreso).toContain('<cfdi:CfdiRelacionados TipoRelacion="01"><cfdi:CfdiRelacionado UUID="5FB2822E-396D-4725-8521-CDC4BDD20CCF"/></cfdi:CfdiRelacionados>');
    expect(attr(egreso, 'TipoDeComprobante')).toBe('E');
    expect(attr(prep('usd'), 'TipoCambio')).toBe('17.2345');
    const exento = prep('exento');
    expect(exento).toContain('<cfdi:Traslado Base="4500.00" Impuesto="002" TipoFactor="Exento"/>');
    expect(exento).toContain('<cfdi:Impuestos><cfdi:Traslados>');
    expect(exento).not.toContain('TotalImpuestosTrasladados');
    expect(exento).not.toMatch(/="[^"]{0}"/);
    expect(exento).not.toContain('Sello=');
  });

  it('declares complemento namespaces and schema locations and embeds the complemento', () => {
    const r = prepararComprobante(fixture('ingreso-pue'), EMISOR, { tipo: 'I', ahora: AHORA });
    if (!r.ok) throw new Error('fixture');
    const xml = comprobanteXml({
      ...r.comprobante,
      complementos: [{ nodo: el('x:Y', { A: '1' }), namespaces: { x: 'urn:x' }, schemaLocation: ['urn:x http://x/x.xsd'] }],
    });
    const root = parseXml(xml);
    expect(attr(xml, 'xmlns:x')).toBe('urn:x');
    expect(attr(xml, 'xsi:schemaLocation')).toBe('http://www.sat.gob.mx/cfd/4 http://www.sat.gob.mx/sitio_internet/cfd/4/cfdv40.xsd urn:x http://x/x.xsd');
    expect(xml.endsWith('<cfdi:Complemento><x:Y A="1"/></cfdi:Complemento></cfdi:Comprobante>')).toBe(true);
    expect(root.qname).toBe('cfdi:Comprobante');
  });
});

describe('emitirCfdi: sello', () => {
  it('puts the sello in the Comprobante even when a text reads like the sello attribute', async () => {
    const input = fixture('ingreso-pue') as { conceptos: { descripcion: string }[] };
    input.conceptos[0].descripcion = 'Sello="SELLO-PENDIENTE" Sello=""';
    const r = await emitirCfdi(input, EMISOR, csd, { ahora: AHORA });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(attr(r.xml, 'Sello')).toMatch(/^[A-Za-z0-9+/]{342}==$/);
    expect(r.xml).toContain('Descripcion="Sello=&quot;SELLO-PENDIENTE&quot; Sello=&quot;&quot;"');
    expect((await verificarCfdi(r.xml)).valido).toBe(true);
  });
});

describe('emitirCfdi: CSD checks', () => {
  it('rejects a CSD of another RFC and one not valid at Fecha', async () => {
    const otro = await emitirCfdi(fixture('ingreso-pue'), { ...EMISOR, rfc: 'URE180429TM6' }, csd, { ahora: AHORA });
    expect(!otro.ok && otro.errors.map((e) => e.path)).toContain('emisor.rfc');
    const tarde = new Date('2027-06-01T18:00:00Z');
    const vencido = await emitirCfdi(fixture('ingreso-pue'), EMISOR, csd, { ahora: tarde });
    expect(!vencido.ok && vencido.errors).toEqual([expect.objectContaining({ path: 'fecha' })]);
  });
});
