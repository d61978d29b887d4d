import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, decodePDFRawStream, type PDFObject, type PDFRef } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { generarPdf, type MarcaPdf } from './pdf';

/**
 * An issuer's branding on the representación impresa, read back from the drawn PDF: the logo is an image
 * XObject of the page at its pixel size, the primary color's fill operator is in the content stream, the
 * footer is in poppler's text, and each document is rendered to PNG (test/output/marca/) to be looked at.
 */

const raiz = fileURLToPath(new URL('../../', import.meta.url));
const salida = `${raiz}test/output/marca`;
const REAL = readFileSync(`${raiz}test/fixtures/sat/samples/cfdi40-real.xml`, 'utf8');
const SIN_TIMBRE = readFileSync(`${raiz}test/fixtures/sat/samples/created-with-discounts-40.xml`, 'utf8');
const logo = (nombre: string) => new Uint8Array(readFileSync(`${raiz}test/fixtures/marca/${nombre}`));
const PIE =
  'Gracias por tu compra. Av. Paseo de la Reforma 222, piso 3, Col. Juárez, Ciudad de México. Atención a clientes ' +
  '55 1234 5678 o facturas@ejemplo.mx, de lunes a viernes de 9:00 a 18:00 h. Aclaraciones dentro de los 30 días siguientes.';

/** Writes the PDF and its pages as PNG at 60 dpi; returns the PDF's path. */
function dibujar(nombre: string, pdf: Uint8Array): string {
  mkdirSync(salida, { recursive: true });
  for (const f of readdirSync(salida).filter((f) => f.startsWith(`${nombre}-`))) rmSync(`${salida}/${f}`);
  const archivo = `${salida}/${nombre}.pdf`;
  writeFileSync(archivo, pdf);
  execFileSync('pdftoppm', ['-png', '-r', '60', archivo, `${salida}/${nombre}`]);
  expect(readdirSync(salida).filter((f) => f.startsWith(`${nombre}-`) && f.endsWith('.png')).length).toBeGreaterThan(0);
  return archivo;
}

const texto = (archivo: string) => execFileSync('pdftotext', ['-layout', archivo, '-'], { encoding: 'utf8' });

/** Width and height of every image XObject each page uses. */
async function imagenes(pdf: Uint8Array): Promise<Array<Array<[number, number]>>> {
  const doc = await PDFDocument.load(pdf);
  return doc.getPages().map((pagina) => {
    const xobjects = pagina.node.Resources()?.lookupMaybe(PDFName.of('XObject'), PDFDict);
    if (!xobjects) return [];
    return xobjects.values().flatMap((ref) => {
      const stream = doc.context.lookup(ref as PDFRef) as PDFRawStream;
      if (stream.dict.get(PDFName.of('Subtype')) !== PDFName.of('Image')) return [];
      const n = (k: string) => Number(stream.dict.get(PDFName.of(k))?.toString());
      return [[n('Width'), n('Height')] as [number, number]];
    });
  });
}

/** The decoded content streams of each page. */
async function contenido(pdf: Uint8Array): Promise<string[]> {
  const doc = await PDFDocument.load(pdf);
  return doc.getPages().map((pagina) => {
    const c = pagina.node.Contents();
    const streams: PDFObject[] = c instanceof PDFArray ? c.asArray().map((r) => doc.context.lookup(r) as PDFObject) : [c as PDFObject];
    return streams.map((s) => Buffer.from(decodePDFRawStream(s as PDFRawStream).decode()).toString('latin1')).join('\n');
  });
}

/** Whether a content stream shows `s` in one text operator (pdf-lib writes standard-font text as hex). */
const muestraTexto = (flujo: string, s: string) => new RegExp(`<${Buffer.from(s, 'latin1').toString('hex')}>\\s*Tj`, 'i').test(flujo);

/** "#0F766E" → the `r g b rg` operator pdf-lib writes for it. */
const operadorColor = (hex: string) =>
  `${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).join(' ')} rg`;

describe('branding on the PDF', () => {
  it('draws a PNG logo at its pixel size, the primary color on bands and the footer on every page', async () => {
    const marca: MarcaPdf = { logo: { bytes: logo('logo.png'), tipo: 'image/png' }, colorPrimario: '#0F766E', piePagina: PIE };
    const pdf = await generarPdf(REAL, { marca });
    const archivo = dibujar('png-teal', pdf);
    expect(await imagenes(pdf)).toEqual([[[240, 80]]]);
    const [flujo] = await contenido(pdf);
    expect(flujo).toContain(operadorColor('#0F766E'));
    // the default accent is gone
    expect(flujo).not.toContain('0.08 0.24 0.43 rg');
    const plano = texto(archivo).replace(/\s+/g, ' ');
    expect(plano).toContain(PIE.replace(/\s+/g, ' '));
    expect(plano).toContain('C2832671-DA6D-11EF-A83D-00155D012007');
  });

  it('keeps the footer on each of several pages, above the page number', async () => {
    const conceptos = Array.from({ length: 60 }, (_, i) => `<cfdi:Concepto ClaveProdServ="81112100" Cantidad="1" ClaveUnidad="E48" Descripcion="Servicio ${i + 1}" ValorUnitario="1.00" Importe="1.00" ObjetoImp="01"/>`).join('');
    const xml = REAL.replace(/<cfdi:Conceptos>[\s\S]*<\/cfdi:Conceptos>/, `<cfdi:Conceptos>${conceptos}</cfdi:Conceptos>`);
    const pdf = await generarPdf(xml, { marca: { logo: { bytes: logo('logo.jpg'), tipo: 'image/jpeg' }, colorPrimario: '#7C2D12', piePagina: PIE } });
    const archivo = dibujar('jpeg-varias-paginas', pdf);
    const paginas = texto(archivo).split('\f').filter((p) => p.trim());
    expect(paginas.length).toBeGreaterThan(1);
    for (const pagina of paginas) expect(pagina.replace(/\s+/g, ' ')).toContain('Aclaraciones dentro de los 30 días siguientes.');
    // the logo on the first page only, at its pixel size
    expect((await imagenes(pdf)).map((p) => p.length)).toEqual([1, ...paginas.slice(1).map(() => 0)]);
    expect((await imagenes(pdf))[0]).toEqual([[200, 200]]);
    for (const flujo of await contenido(pdf)) expect(flujo).toContain(operadorColor('#7C2D12'));
  });

  it('prints a draft under BORRADOR with the branding and no timbre', async () => {
    const pdf = await generarPdf(SIN_TIMBRE, { marcaAgua: 'BORRADOR', marca: { logo: { bytes: logo('logo.png'), tipo: 'image/png' }, colorPrimario: '#1E40AF' } });
    const plano = texto(dibujar('borrador', pdf));
    // the diagonal watermark comes out of pdftotext letter by letter: read in the content stream
    expect(muestraTexto((await contenido(pdf))[0], 'BORRADOR')).toBe(true);
    expect(plano).toContain('Sin timbrar — no es un CFDI válido');
    expect(plano).not.toContain('Sello digital del SAT');
    expect(await imagenes(pdf)).toEqual([[[240, 80]]]);
  });

  it('without branding prints no image and the default accent', async () => {
    const pdf = await generarPdf(REAL);
    dibujar('sin-marca', pdf);
    expect(await imagenes(pdf)).toEqual([[]]);
    expect(muestraTexto((await contenido(pdf))[0], 'BORRADOR')).toBe(false);
    expect((await contenido(pdf))[0]).toContain('0.08 0.24 0.43 rg');
  });
});
