// Expected cadenas are the SAT stylesheets' own output, produced once with xsltproc and committed beside
// each input (test/fixtures/cadena/README.md); here they are compared byte for byte.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CadenaError, cadenaOriginal, cadenaOriginalTfd, normalizeSpace } from './cadena';
import { XmlError } from './dom';

const root = path.resolve(__dirname, '../../test/fixtures');
const read = (p: string) => readFileSync(path.join(root, p), 'utf8');
const casos = (dir: string, suffix: RegExp) =>
  readdirSync(path.join(root, dir))
    .filter((f) => suffix.test(f))
    .map((f) => path.join(dir, f));

describe('cadenaOriginal (cadenaoriginal_4_0.xslt)', () => {
  const comprobantes = [...casos('sat/samples', /\.xml$/), ...casos('cadena', /^[^.]+\.xml$/)];

  it('has fixtures to compare', () => {
    expect(comprobantes.length).toBeGreaterThanOrEqual(7);
  });

  it.each(comprobantes)('%s is byte-identical to the SAT stylesheet', (f) => {
    expect(cadenaOriginal(read(f))).toBe(read(f.replace(/\.xml$/, '.cadena.txt')));
  });

  it('does not depend on prefixes, quotes or attribute order', () => {
    const xml = read('sat/samples/created-with-discounts-40.xml');
    const reprefijado = xml.replace(/cfdi:/g, 'x:').replace('xmlns:cfdi=', 'xmlns:x=').replace(/"/g, "'");
    expect(cadenaOriginal(reprefijado)).toBe(cadenaOriginal(xml));
  });

  it('reads an element as CFDI only by its namespace', () => {
    const xml = read('sat/samples/created-with-discounts-40.xml').replace('http://www.sat.gob.mx/cfd/4', 'http://www.sat.gob.mx/cfd/3');
    expect(() => cadenaOriginal(xml)).toThrow(CadenaError);
  });

  it('writes a complement with the template the SAT stylesheet includes for it (implocal), as xsltproc does', () => {
    const xml = read('sat/samples/created-with-discounts-40.xml').replace(
      '</cfdi:Comprobante>',
      '<cfdi:Complemento><implocal:ImpuestosLocales xmlns:implocal="http://www.sat.gob.mx/implocal" version="1.0" TotaldeRetenciones="0" TotaldeTraslados="0"/></cfdi:Complemento></cfdi:Comprobante>',
    );
    expect(cadenaOriginal(xml)).toBe(read('sat/samples/created-with-discounts-40.cadena.txt').replace(/\|\|$/, '|1.0|0|0||'));
  });
});

describe('cadenaOriginalTfd (cadenaoriginal_TFD_1_1.xslt)', () => {
  it.each(casos('cadena', /\.tfd\.xml$/))('%s is byte-identical to the SAT stylesheet', (f) => {
    expect(cadenaOriginalTfd(read(f))).toBe(read(f.replace(/\.xml$/, '.cadena.txt')));
  });

  it('finds the stamp inside a whole CFDI', () => {
    expect(cadenaOriginalTfd(read('sat/samples/cfdi40-real.xml'))).toBe(read('cadena/real.tfd.cadena.txt'));
  });

  it('says so when there is no stamp', () => {
    expect(() => cadenaOriginalTfd(read('sat/samples/created-with-discounts-40.xml'))).toThrow(CadenaError);
  });
});

describe('normalizeSpace', () => {
  it('collapses and trims only the four XML whitespace characters', () => {
    expect(normalizeSpace(' \t a \r\n  b\n')).toBe('a b');
    expect(normalizeSpace('\u00a0a\u2003 b\u00a0')).toBe('\u00a0a\u2003 b\u00a0');
    expect(normalizeSpace('   ')).toBe('');
  });
});

describe('XML reader', () => {
  const base = read('sat/samples/created-with-discounts-40.xml');
  it.each([
    ['a DOCTYPE', base.replace('<cfdi:Comprobante', '<!DOCTYPE x [<!ENTITY e "boom">]><cfdi:Comprobante')],
    ['an unknown entity', base.replace('Nombre="', 'Nombre="&e;')],
    ['a "<" inside an attribute value', base.replace('Nombre="', 'Nombre="a<b')],
    ['mismatched tags', base.replace('</cfdi:Conceptos>', '</cfdi:Concepto>')],
    ['an undeclared prefix', base.replace('<cfdi:Emisor', '<nada:Emisor').replace('</cfdi:Emisor>', '</nada:Emisor>')],
    ['a repeated attribute', base.replace('Version="4.0"', 'Version="4.0" Version="4.0"')],
    ['a truncated document', base.slice(0, base.length - 30)],
    ['two roots', base + '<otro/>'],
  ])('rejects %s', (_, xml) => {
    expect(() => cadenaOriginal(xml)).toThrow(XmlError);
  });
});
