import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cadenaOriginal } from './cadena';
import { leerCsd, type Csd } from './csd';
import { sellarCfdi } from './sello';
import { verificarCfdi } from './verify';

const fixtures = path.resolve(__dirname, '../../test/fixtures');
const salida = path.resolve(__dirname, '../../test/output/cfdi');
const muestra = (n: string) => readFileSync(path.join(fixtures, 'sat/samples', n), 'utf8');
const SIN_SELLO = / (Sello|Certificado|NoCertificado)="[^"]*"/g;
const sinTimbre = (xml: string) => xml.replace(/<tfd:TimbreFiscalDigital[^>]*\/>/, '');
const atributo = (xml: string, n: string) => new RegExp(` ${n}="([^"]*)"`).exec(xml)?.[1];

let csd: Csd;
beforeAll(async () => {
  const leer = (f: string) => new Uint8Array(readFileSync(path.join(fixtures, f)));
  ({ csd } = await leerCsd(leer('EKU9003173C9.cer'), leer('EKU9003173C9.key'), '12345678a', { ahora: new Date('2025-06-01') }));
  mkdirSync(salida, { recursive: true });
});

/** Writes a sealed CFDI and this project's cadena for the oracle (check-cfdi --cadena-dir). */
function paraOraculo(nombre: string, xml: string) {
  writeFileSync(path.join(salida, `${nombre}.xml`), xml);
  writeFileSync(path.join(salida, `${nombre}.txt`), cadenaOriginal(xml));
}

describe('sellarCfdi', () => {
  // These samples were sealed with the SAT test CSD; PKCS#1 v1.5 is deterministic, so resealing the
  // unsealed document must give back the very same Sello.
  it.each(['cfdi40-valid.xml', 'created-cfdi40-pago20-valid.xml', 'created-with-discounts-40.xml'])(
    'reproduces the Sello of %s',
    async (nombre) => {
      const original = sinTimbre(muestra(nombre));
      const sellado = await sellarCfdi(original.replace(SIN_SELLO, ''), csd);
      expect(atributo(sellado, 'Sello')).toBe(atributo(original, 'Sello'));
      expect(atributo(sellado, 'NoCertificado')).toBe('30001000000500003416');
      expect(atributo(sellado, 'Certificado')).toBe(csd.certificadoBase64);
      expect((await verificarCfdi(sellado)).valido).toBe(true);
      paraOraculo(`a-${nombre.replace(/\.xml$/, '')}`, sellado);
    },
  );

  it('changes only the Comprobante start tag and inserts the attributes in XSD order', async () => {
    const xml = muestra('created-with-discounts-40.xml').replace(SIN_SELLO, '');
    const sellado = await sellarCfdi(xml, csd);
    const finDeEtiqueta = (s: string) => s.indexOf('>', s.indexOf('<cfdi:Comprobante')) + 1;
    expect(sellado.slice(finDeEtiqueta(sellado))).toBe(xml.slice(finDeEtiqueta(xml)));
    expect(sellado.slice(0, sellado.indexOf('<cfdi:Comprobante'))).toBe(xml.slice(0, xml.indexOf('<cfdi:Comprobante')));
    const etiqueta = sellado.slice(0, finDeEtiqueta(sellado));
    const orden = ['Fecha', 'Sello', 'FormaPago', 'NoCertificado', 'Certificado', 'SubTotal'].map((n) => etiqueta.indexOf(` ${n}="`));
    expect(orden.every((p, i) => p > 0 && (i === 0 || p > orden[i - 1]))).toBe(true);
  });

  it('replaces present (even stale) seal attributes in place', async () => {
    const xml = muestra('created-cfdi40-pago20-valid.xml')
      .replace(/ Sello="[^"]*"/, ' Sello=""')
      .replace(/ NoCertificado="[^"]*"/, ' NoCertificado="00000000000000000000"');
    const sellado = await sellarCfdi(xml, csd);
    expect(sellado.match(/ Sello="/g)).toHaveLength(1);
    expect(sellado.match(/ NoCertificado="/g)).toHaveLength(1);
    expect(atributo(sellado, 'Sello')).toBe(atributo(muestra('created-cfdi40-pago20-valid.xml'), 'Sello'));
  });

  it('seals escaped characters, Ñ and accents over their UTF-8 bytes', async () => {
    const xml = muestra('created-with-discounts-40.xml')
      .replace(SIN_SELLO, '')
      .replace(/(<cfdi:Receptor[^>]* Nombre=")[^"]*"/, '$1PEÑA  &amp; ASOCIADOS &lt;Ü&gt; &quot;Ángel&quot; é"');
    const sellado = await sellarCfdi(xml, csd);
    expect(cadenaOriginal(sellado)).toContain('|PEÑA & ASOCIADOS <Ü> "Ángel" é|');
    expect((await verificarCfdi(sellado)).valido).toBe(true);
    paraOraculo('a-acentos-y-escapes', sellado);
  });
});
