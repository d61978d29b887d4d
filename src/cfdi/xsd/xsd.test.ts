import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseXml } from '../dom';
import { xsdRegExp } from './regex';
import { SAT } from './sat.generated';
import { validateXsd } from './validate';

// What xmllint cannot show (test/node/xsd.test.ts compares the verdicts with it): XSD regex semantics, the lax
// treatment of unknown namespaces, the paths and texts of the problems, and the size of the data.

const muestra = readFileSync(path.resolve(__dirname, '../../../test/fixtures/sat/samples/cfdi40-real.xml'), 'utf8');
const problemas = (xml: string) => validateXsd(parseXml(xml)).map((i) => `${i.path}: ${i.message}`);

describe('xsdRegExp', () => {
  it('anchors, and reads ^ $ literally, . as anything but CR/LF, \\d as any decimal digit, \\s as the XML spaces', () => {
    expect(xsdRegExp('[0-9]{5}').test('123456')).toBe(false);
    expect(xsdRegExp('a$b^').test('a$b^')).toBe(true);
    expect(xsdRegExp('[0-9]{1,18}(.[0-9]{1,6})?').test('1x5')).toBe(true);
    expect(xsdRegExp('[0-9]{1,18}(.[0-9]{1,6})?').test('1\n5')).toBe(false);
    expect(xsdRegExp('\\d{2}').test('\u0661\u0662')).toBe(true);
    expect(xsdRegExp('\\s').test('\u00a0')).toBe(false);
    expect(xsdRegExp('\\w').test('_')).toBe(false);
  });

  it('counts code points, keeps class escapes, ranges and a trailing "-" literal', () => {
    expect(xsdRegExp('[^|]{1,2}').test('😀😀')).toBe(true);
    expect(xsdRegExp('[A-Z&Ñ]{3}').test('Ñ&A')).toBe(true);
    expect(xsdRegExp('([a-z]|\\{|\\}|-|´)+').test('a{}-´')).toBe(true);
    expect(xsdRegExp('[a-c-]+').test('b-')).toBe(true);
    expect(xsdRegExp('[\\d\\s]+').test('1 2')).toBe(true);
  });

  it('throws on what it does not support rather than matching something else', () => {
    for (const p of ['[a-z-[aeiou]]', '\\p{IsBasicLatin}', '\\i', '[\\w]', '[]', 'a{2']) expect(() => xsdRegExp(p), p).toThrow(/no soportado/);
  });

  it('translates every pattern of the SAT schemas', () => {
    const patrones = SAT.types.flatMap((t) => t.pattern ?? []);
    expect(patrones.length).toBeGreaterThan(20);
    for (const p of patrones) expect(() => xsdRegExp(p), p).not.toThrow();
  });
});

describe('validateXsd', () => {
  it('accepts the SAT sample and says where and what is wrong, positions counted among same-named siblings', () => {
    expect(problemas(muestra)).toEqual([]);
    const dos = muestra.replace(/(<cfdi:Concepto [^]*?<\/cfdi:Concepto>)/, '$1$1').replace(/(<cfdi:Concepto[^>]*?) Importe="/, '$1 Importe="1.1234567" X="');
    expect(problemas(dos)).toEqual(expect.arrayContaining([expect.stringMatching(/^\/cfdi:Comprobante\/cfdi:Conceptos\/cfdi:Concepto\[1\]\/@(Importe|X): /)]));
  });

  it('refuses an undeclared root and a known namespace element no schema declares', () => {
    expect(problemas('<a/>')).toEqual(['/a: El elemento raíz a no está declarado en los esquemas del SAT.']);
    const ajeno = muestra.replace('<cfdi:Complemento>', '<cfdi:Complemento><cfdi:Emisor/>');
    expect(problemas(ajeno)).toEqual([expect.stringContaining('cfdi:Emisor no está declarado')]);
  });

  it('lets through complementos and addendas of namespaces it has no schema for, validating known elements inside', () => {
    const ajeno = muestra.replace('<cfdi:Complemento>', '<cfdi:Complemento><il:ImpuestosLocales xmlns:il="http://www.sat.gob.mx/implocal" version="1.0"><il:Lo que="sea"/></il:ImpuestosLocales>');
    expect(problemas(ajeno)).toEqual([]);
    const addenda = muestra.replace('</cfdi:Comprobante>', '<cfdi:Addenda><x:Pedido xmlns:x="urn:cliente" Numero="7"/></cfdi:Addenda></cfdi:Comprobante>');
    expect(problemas(addenda)).toEqual([]);
    const dentro = muestra.replace('</cfdi:Comprobante>', '<cfdi:Addenda><x:Pedido xmlns:x="urn:cliente"><tfd:TimbreFiscalDigital xmlns:tfd="http://www.sat.gob.mx/TimbreFiscalDigital" Version="1.1"/></x:Pedido></cfdi:Addenda></cfdi:Comprobante>');
    expect(problemas(dentro)).toEqual(expect.arrayContaining([expect.stringContaining('Falta el atributo requerido UUID')]));
  });

  it('checks the fixed value after the type\'s white space rule (collapse for 4.0, none for the TFD\'s 1.1)', () => {
    expect(problemas(muestra.replace('Version="4.0"', 'Version=" 4.0 "'))).toEqual([]);
    expect(problemas(muestra.replace('Version="4.0"', 'Version="4.1"'))).toEqual([expect.stringContaining('debe ser 4.0')]);
    expect(problemas(muestra.replace(/(TimbreFiscalDigital[^>]*)Version="1.1"/, '$1Version="1.1 "'))).toEqual([expect.stringContaining('debe ser 1.1')]);
  });

  it('compares decimals by value: trailing zeros are not fraction digits, bounds are exact', () => {
    const base = muestra.match(/<cfdi:Traslado Base="([^"]+)"/)![1];
    expect(problemas(muestra.replace(`Base="${base}"`, `Base="${base}0000000"`))).toEqual([]);
    expect(problemas(muestra.replace(`Base="${base}"`, 'Base="0.0000001"'))).toEqual(expect.arrayContaining([expect.stringContaining('es menor que 0.000001')]));
  });
});

describe('parseXml refuses what XML 1.0 forbids that xmllint cannot be shown', () => {
  it('lone surrogates (UTF-8 cannot carry them) and a DOCTYPE (well-formed, but never in a CFDI)', () => {
    expect(() => parseXml('<a>\ud800</a>')).toThrow(/U\+D800/);
    expect(() => parseXml('<a x="\udc00"/>')).toThrow(/U\+DC00/);
    expect(parseXml('<a>\ud83d\ude00</a>').children).toEqual(['\ud83d\ude00']);
    expect(() => parseXml('<!DOCTYPE a><a/>')).toThrow(/DOCTYPE/);
  });
});

describe('sat.generated.ts', () => {
  it('stays small: catalog enumerations are left out', () => {
    const bytes = readFileSync(path.join(__dirname, 'sat.generated.ts')).length;
    // cfdv40, Pagos 2.0, the TFD, Nómina 1.2 and Carta Porte 3.1
    expect(bytes).toBeLessThan(40_000);
    expect(Math.max(...SAT.types.map((t) => t.enumeration?.length ?? 0))).toBeLessThanOrEqual(100);
  });
});
