import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cadenaOriginal } from '../../cadena';
import type { Emisor } from '../../comprobante';
import { leerCsd, type Csd } from '../../csd';
import { verificarCfdi } from '../../verify';
import { emitir } from '../../comprobantes';
import { ID_CCP } from '.';

const fixtures = path.resolve(__dirname, '../../../../test/fixtures');
const salida = path.resolve(__dirname, '../../../../test/output/cfdi');
export const fixtureCartaPorte = (nombre: string) => JSON.parse(readFileSync(path.join(fixtures, 'cfdi', 'carta-porte', `${nombre}.json`), 'utf8'));

const EMISOR: Emisor = { rfc: 'EKU9003173C9', nombre: 'ESCUELA KEMPER URGATE', regimenFiscal: '601', lugarExpedicion: '42501' };
// The fixtures are dated 2026-11-20T12:00:00 local (Mexico City, UTC−6): one hour later.
const AHORA = new Date('2026-11-20T19:00:00Z');

let csd: Csd;
beforeAll(async () => {
  const leer = (f: string) => new Uint8Array(readFileSync(path.join(fixtures, f)));
  ({ csd } = await leerCsd(leer('EKU9003173C9.cer'), leer('EKU9003173C9.key'), '12345678a', { ahora: AHORA }));
  mkdirSync(salida, { recursive: true });
});

/** The attributes of the first `<nombre .../>` or `<nombre ...>` in `xml`. */
function atributos(xml: string, nombre: string): Record<string, string> {
  const m = new RegExp(`<${nombre} ([^>]*?)/?>`).exec(xml);
  if (!m) throw new Error(`sin ${nombre}`);
  return Object.fromEntries([...m[1].matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
}

describe('Carta Porte 3.1 fixtures sealed with the SAT test CSD (for check-cfdi)', () => {
  // Worked out by hand: local 905.50 km, 120.500 kg; dos-destinos 905.50 + 212.25 = 1117.75 km and
  // 75.300 + 60.125 = 135.425 kg; the freight 18,500 + IVA 16 % 2,960 − IVA retenido 4 % 740 = 20,720.
  const casos: [nombre: string, tipo: 'T' | 'I', esperado: { TotalDistRec: string; PesoBrutoTotal: string; NumTotalMercancias: string; Total: string }][] = [
    ['traslado-local', 'T', { TotalDistRec: '905.50', PesoBrutoTotal: '120.500', NumTotalMercancias: '1', Total: '0' }],
    ['dos-destinos', 'T', { TotalDistRec: '1117.75', PesoBrutoTotal: '135.425', NumTotalMercancias: '2', Total: '0' }],
    ['flete-ingreso', 'I', { TotalDistRec: '905.50', PesoBrutoTotal: '120.500', NumTotalMercancias: '1', Total: '20720.00' }],
    ['material-peligroso', 'T', { TotalDistRec: '905.50', PesoBrutoTotal: '14800.000', NumTotalMercancias: '1', Total: '0' }],
    ['importacion', 'T', { TotalDistRec: '905.50', PesoBrutoTotal: '120.500', NumTotalMercancias: '1', Total: '0' }],
    ['remolque', 'T', { TotalDistRec: '905.50', PesoBrutoTotal: '120.500', NumTotalMercancias: '1', Total: '0' }],
  ];

  it.each(casos)('carta-porte-%s: computed totals, sello and the oracle files', async (nombre, tipo, esperado) => {
    const r = await emitir(tipo, fixtureCartaPorte(nombre), EMISOR, csd, { ahora: AHORA });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const cp = atributos(r.xml, 'cartaporte31:CartaPorte');
    const mercancias = atributos(r.xml, 'cartaporte31:Mercancias');
    const comprobante = atributos(r.xml, 'cfdi:Comprobante');
    expect({ TotalDistRec: cp.TotalDistRec, PesoBrutoTotal: mercancias.PesoBrutoTotal, NumTotalMercancias: mercancias.NumTotalMercancias, Total: comprobante.Total }).toEqual(esperado);
    expect(cp.Version).toBe('3.1');
    expect(cp.IdCCP).toMatch(ID_CCP);
    expect(comprobante.TipoDeComprobante).toBe(tipo);
    expect(comprobante.schemaLocation ?? r.xml).toContain('http://www.sat.gob.mx/sitio_internet/cfd/CartaPorte/CartaPorte31.xsd');
    expect((await verificarCfdi(r.xml)).valido).toBe(true);
    writeFileSync(path.join(salida, `carta-porte-${nombre}.xml`), r.xml);
    writeFileSync(path.join(salida, `carta-porte-${nombre}.txt`), cadenaOriginal(r.xml));
  });

  it('writes a traslado as the SAT requires it: SubTotal and Total 0, XXX, no FormaPago, MetodoPago or Impuestos, ObjetoImp 01', async () => {
    const r = await emitir('T', fixtureCartaPorte('traslado-local'), EMISOR, csd, { ahora: AHORA });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const c = atributos(r.xml, 'cfdi:Comprobante');
    expect([c.SubTotal, c.Total, c.Moneda, c.FormaPago, c.MetodoPago]).toEqual(['0', '0', 'XXX', undefined, undefined]);
    expect(r.xml).not.toContain('<cfdi:Impuestos');
    expect(atributos(r.xml, 'cfdi:Concepto')).toMatchObject({ ValorUnitario: '0', Importe: '0', ObjetoImp: '01' });
    expect(atributos(r.xml, 'cfdi:Receptor')).toMatchObject({ Rfc: 'EKU9003173C9', UsoCFDI: 'S01' });
  });

  it('the freight ingreso keeps its taxes and carries the complement; the import its régimen, pedimento and foreign origin', async () => {
    const flete = await emitir('I', fixtureCartaPorte('flete-ingreso'), EMISOR, csd, { ahora: AHORA });
    if (!flete.ok) throw new Error(JSON.stringify(flete.errors));
    expect(atributos(flete.xml, 'cfdi:Impuestos')).toEqual({ TotalImpuestosRetenidos: '740.00', TotalImpuestosTrasladados: '2960.00' });
    const imp = await emitir('T', fixtureCartaPorte('importacion'), EMISOR, csd, { ahora: AHORA });
    if (!imp.ok) throw new Error(JSON.stringify(imp.errors));
    expect(atributos(imp.xml, 'cartaporte31:RegimenAduaneroCCP')).toEqual({ RegimenAduanero: 'IMD' });
    expect(atributos(imp.xml, 'cartaporte31:DocumentacionAduanera')).toEqual({ TipoDocumento: '01', NumPedimento: '26  24  3420  6000123', RFCImpo: 'EKU9003173C9' });
    expect(atributos(imp.xml, 'cartaporte31:CartaPorte')).toMatchObject({ TranspInternac: 'Sí', EntradaSalidaMerc: 'Entrada', PaisOrigenDestino: 'USA', ViaEntradaSalida: '01' });
  });

  it('keeps an IdCCP given by an earlier attempt and generates a new one otherwise', async () => {
    const id = 'CCCeafcc-de9d-46bd-a2fc-1b2e4727d1e5';
    const entrada = fixtureCartaPorte('traslado-local');
    entrada.carta_porte.id_ccp = id;
    const dado = await emitir('T', entrada, EMISOR, csd, { ahora: AHORA });
    if (!dado.ok) throw new Error(JSON.stringify(dado.errors));
    expect(atributos(dado.xml, 'cartaporte31:CartaPorte').IdCCP).toBe(id);
    const [a, b] = await Promise.all([1, 2].map(() => emitir('T', fixtureCartaPorte('traslado-local'), EMISOR, csd, { ahora: AHORA })));
    if (!a.ok || !b.ok) throw new Error('no emitido');
    expect(atributos(a.xml, 'cartaporte31:CartaPorte').IdCCP).not.toBe(atributos(b.xml, 'cartaporte31:CartaPorte').IdCCP);
  });
});
