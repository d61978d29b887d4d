import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generarPdf } from './pdf';
import { conTimbre, emitidoDeFixture } from './pdf-muestras';

/**
 * Layout of the representación impresa read back from the drawn PDF: poppler's `pdftotext -bbox-layout`
 * gives every word's box, so overlaps, text outside the margins and half-empty pages show up for any
 * kind of comprobante, not just the ones someone looked at.
 */

const raiz = fileURLToPath(new URL('../../', import.meta.url));
const salida = `${raiz}test/output/pdf`;
const muestra = (nombre: string) => readFileSync(`${raiz}test/fixtures/sat/samples/${nombre}`, 'utf8');
const fixture = (ruta: string) => readFileSync(`${raiz}test/fixtures/${ruta}`);
const REAL = muestra('cfdi40-real.xml');
const PAGOS = muestra('created-cfdi40-pago20-valid.xml');


interface Palabra {
  texto: string;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}
interface Pagina {
  ancho: number;
  alto: number;
  palabras: Palabra[];
}

const entidades = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

/** Writes the PDF to test/output/pdf/ for a human and reads back its words' boxes (y grows downwards). */
function maquetar(nombre: string, pdf: Uint8Array): Pagina[] {
  mkdirSync(salida, { recursive: true });
  const archivo = `${salida}/${nombre}.pdf`;
  writeFileSync(archivo, pdf);
  const html = execFileSync('pdftotext', ['-bbox-layout', archivo, '-'], { encoding: 'utf8' });
  return [...html.matchAll(/<page width="([\d.]+)" height="([\d.]+)">([\s\S]*?)<\/page>/g)].map((m) => ({
    ancho: Number(m[1]),
    alto: Number(m[2]),
    palabras: [...m[3].matchAll(/<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">([^<]*)<\/word>/g)].map((w) => ({
      x0: Number(w[1]),
      y0: Number(w[2]),
      x1: Number(w[3]),
      y1: Number(w[4]),
      texto: entidades(w[5]),
    })),
  }));
}

// Font boxes include the line gap: boxes on adjacent lines may touch by a hair without the glyphs meeting.
const HOLGURA = 0.8;

function solapes(pagina: Pagina): string[] {
  const out: string[] = [];
  const p = pagina.palabras;
  for (let i = 0; i < p.length; i++) {
    for (let j = i + 1; j < p.length; j++) {
      const a = p[i];
      const b = p[j];
      const enX = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
      const enY = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
      if (enX > HOLGURA && enY > HOLGURA) out.push(`"${a.texto}" × "${b.texto}" at (${a.x0.toFixed(1)}, ${a.y0.toFixed(1)})`);
    }
  }
  return out;
}

const MARGEN = 36;
/** The footer ("Página i de n") is drawn into the bottom margin on purpose, 6 points down. */
const PIE = 6;
/** The sandbox watermark is the one text meant to cross everything; no document here is sandbox. */
function fueraDeMargen(pagina: Pagina): string[] {
  return pagina.palabras
    .filter((w) => w.x0 < MARGEN - 0.5 || w.x1 > pagina.ancho - MARGEN + 0.5 || w.y0 < MARGEN - 0.5 || w.y1 > pagina.alto - MARGEN + PIE)
    .map((w) => `"${w.texto}" at (${w.x0.toFixed(1)}, ${w.y0.toFixed(1)})–(${w.x1.toFixed(1)}, ${w.y1.toFixed(1)})`);
}

/** Lowest word above the footer rule, as a fraction of the page's printable height left empty below it. */
function vacioAlPie(pagina: Pagina): number {
  const pie = pagina.alto - MARGEN - 6;
  const fondo = Math.max(...pagina.palabras.filter((w) => w.y1 < pie).map((w) => w.y1));
  return (pie - fondo) / (pagina.alto - 2 * MARGEN);
}

function comprobarMaquetacion(paginas: Pagina[]): void {
  expect(paginas.length).toBeGreaterThan(0);
  for (const pagina of paginas) {
    expect(solapes(pagina)).toEqual([]);
    expect(fueraDeMargen(pagina)).toEqual([]);
  }
}

const palabras = (paginas: Pagina[]) => paginas.flatMap((p) => p.palabras.map((w) => w.texto));
/** Money-looking words ("1,234.56", "$12.00", "-$3.1") and their number of decimals; "CFDI 4.0", "Pagos 2.0", "NÓMINA 1.2" are versions. */
const decimalesDeImportes = (textos: string[]) =>
  textos
    .filter((t, i) => /^-?\$?\d{1,3}(,\d{3})*\.\d+$/.test(t) && !/^(CFDI|versión|Pagos|NÓMINA)$/.test(textos[i - 1] ?? ''))
    .map((t) => (t.split('.')[1] as string).length);

/** Every value of these attributes in the XML. */
const valoresDe = (xml: string, ...nombres: string[]) => nombres.flatMap((n) => [...xml.matchAll(new RegExp(` ${n}="([^"]*)"`, 'g'))].map((m) => m[1]));

/** "PAGO 2 DE 4 (COMPLEMENTO PAGOS 2.0)": the heading of each pago's boxes. */
const tituloDePago = (t: string, i: number, textos: string[]) => t === 'PAGO' && /^\d+$/.test(textos[i + 1] ?? '');

describe('PDF layout', () => {
  it('a factura PUE: no overlapping words, nothing outside the margins, importes at 2 decimals', async () => {
    const paginas = maquetar('layout-factura-pue', await generarPdf(REAL));
    comprobarMaquetacion(paginas);
    const texto = palabras(paginas);
    // Cantidad and ValorUnitario keep the XML's 6 decimals (a unit price may need them); every importe shows MXN's 2.
    const propios = valoresDe(REAL, 'Cantidad', 'ValorUnitario');
    expect(texto).toEqual(expect.arrayContaining(propios));
    expect(new Set(decimalesDeImportes(texto.filter((t) => !propios.includes(t))))).toEqual(new Set([2]));
    expect(texto.join(' ')).toContain('Traslado IVA 16% Base 853.45 Importe 136.55');
  });

  it('a factura PPD with many conceptos, long descriptions and retenciones, over several pages', async () => {
    const concepto = /<cfdi:Concepto [\s\S]*?<\/cfdi:Concepto>/.exec(REAL)?.[0] as string;
    const conceptos = Array.from({ length: 40 }, (_, i) =>
      concepto
        .replace('Descripcion="COMISION RECARGA IDMX"', `Descripcion="Servicio ${i + 1}: ${'mantenimiento preventivo y correctivo de equipo de cómputo '.repeat(i % 5)}fin"`)
        .replace('</cfdi:Traslados>', '</cfdi:Traslados><cfdi:Retenciones><cfdi:Retencion Base="8.620690" Impuesto="002" TipoFactor="Tasa" TasaOCuota="0.106667" Importe="0.919540"/><cfdi:Retencion Base="8.620690" Impuesto="001" TipoFactor="Tasa" TasaOCuota="0.100000" Importe="0.862069"/></cfdi:Retenciones>'),
    ).join('');
    const xml = REAL.replace('MetodoPago="PUE"', 'MetodoPago="PPD"')
      .replace('FormaPago="04"', 'FormaPago="99"')
      .replace(/<cfdi:Conceptos>[\s\S]*<\/cfdi:Conceptos>/, `<cfdi:Conceptos>${conceptos}</cfdi:Conceptos>`)
      .replace(
        '<cfdi:Impuestos TotalImpuestosTrasladados="137.93">',
        '<cfdi:Impuestos TotalImpuestosTrasladados="137.93" TotalImpuestosRetenidos="71.56">' +
          '<cfdi:Retenciones><cfdi:Retencion Impuesto="001" Importe="34.48"/><cfdi:Retencion Impuesto="002" Importe="37.08"/></cfdi:Retenciones>',
      );
    const paginas = maquetar('layout-factura-ppd-conceptos', await generarPdf(xml));
    expect(paginas.length).toBeGreaterThan(1);
    comprobarMaquetacion(paginas);
    const texto = palabras(paginas);
    expect(texto.join(' ')).toContain('Retención IVA 10.6667% Base 8.62 Importe 0.92');
    expect(texto.join(' ')).toContain('PPD - Pago en parcialidades o diferido');
    const propios = valoresDe(xml, 'Cantidad', 'ValorUnitario');
    expect(new Set(decimalesDeImportes(texto.filter((t) => !propios.includes(t))))).toEqual(new Set([2]));
    // A concepto's row is not split, so a page may end one tall row (here up to ~80 points) early.
    paginas.slice(0, -1).forEach((p, i) => expect(vacioAlPie(p), `page ${i + 1} left empty at its foot`).toBeLessThan(0.15));
  });

  it('a nota de crédito: the CFDI relacionados labels do not overlap their UUIDs', async () => {
    const uuids = ['0A1B2C3D-0000-4000-8000-000000000001', '0A1B2C3D-0000-4000-8000-000000000002'];
    const xml = REAL.replace('TipoDeComprobante="I"', 'TipoDeComprobante="E"').replace(
      '<cfdi:Emisor ',
      `<cfdi:CfdiRelacionados TipoRelacion="01">${uuids.map((u) => `<cfdi:CfdiRelacionado UUID="${u}"/>`).join('')}</cfdi:CfdiRelacionados>` +
        `<cfdi:CfdiRelacionados TipoRelacion="07"><cfdi:CfdiRelacionado UUID="0A1B2C3D-0000-4000-8000-000000000003"/></cfdi:CfdiRelacionados>` +
        '<cfdi:Emisor ',
    );
    const paginas = maquetar('layout-nota-de-credito', await generarPdf(xml));
    comprobarMaquetacion(paginas);
    const texto = palabras(paginas);
    for (const u of [...uuids, '0A1B2C3D-0000-4000-8000-000000000003']) expect(texto).toContain(u);
    expect(texto).toContain('NOTA');
  });

  /** The sample complemento with `pagos` copies of its Pago, each with `doctos` times its first DoctoRelacionado. */
  function complemento(pagos: number, doctos: number): string {
    const pago = /<pago20:Pago [\s\S]*<\/pago20:Pago>/.exec(PAGOS)?.[0] as string;
    const docto = /<pago20:DoctoRelacionado [\s\S]*?<\/pago20:DoctoRelacionado>/.exec(pago)?.[0] as string;
    return conTimbre(PAGOS.replace(pago, pago.replace(docto, docto.repeat(doctos)).repeat(pagos)), '4B1D5E2A-0000-4000-8000-0000000000A1');
  }

  it.each([
    [1, 3],
    [2, 1],
    [4, 2],
  ])('a complemento with %i pagos of %i+1 doctos: amounts at the currency decimals, no page left empty at its foot', async (pagos, doctos) => {
    const paginas = maquetar(`layout-complemento-${pagos}-pagos-${doctos}-doctos`, await generarPdf(complemento(pagos, doctos)));
    comprobarMaquetacion(paginas);
    const texto = palabras(paginas);
    // The XML has the taxes of each pago at 6 decimals; MXN prints 2, like every other amount.
    expect(texto.join(' ')).toContain('Traslado IVA 16% Base 12,931.04 Importe 2,068.96');
    expect(new Set(decimalesDeImportes(texto))).toEqual(new Set([2]));
    expect(texto.filter(tituloDePago)).toHaveLength(pagos);
    paginas.slice(0, -1).forEach((p, i) => expect(vacioAlPie(p), `page ${i + 1} left empty at its foot`).toBeLessThan(0.1));
    // A pago's boxes never end a page without the table of its documentos relacionados.
    for (const p of paginas) {
      const t = p.palabras.map((w) => w.texto);
      const ultimoPago = t.findLastIndex(tituloDePago);
      if (ultimoPago >= 0) expect(t.indexOf('Documento', ultimoPago)).toBeGreaterThan(ultimoPago);
    }
  });

  it('long names, folio and condiciones wrap inside their boxes', async () => {
    const xml = REAL.replace('Nombre="PASE, SERVICIOS ELECTRONICOS"', `Nombre="${'SERVICIOS ELECTRÓNICOS INTEGRALES DE LA REPÚBLICA '.repeat(3)}SA DE CV"`)
      .replace('Nombre="CARLOS CORTES SOTO"', `Nombre="${'CARLOS ALBERTO CORTÉS SOTO DE LA FUENTE '.repeat(3)}"`)
      .replace('Folio="52375239"', 'Folio="5237523952375239523752395237"')
      .replace('<cfdi:Comprobante ', '<cfdi:Comprobante CondicionesDePago="Treinta días naturales a partir de la fecha de recepción de la factura, contra entrega" ');
    comprobarMaquetacion(maquetar('layout-nombres-largos', await generarPdf(xml)));
    // On continuation pages the emisor's name shares a line with the document's reference.
    const concepto = /<cfdi:Concepto [\s\S]*?<\/cfdi:Concepto>/.exec(xml)?.[0] as string;
    const paginas = maquetar('layout-nombres-largos-paginas', await generarPdf(xml.replace(concepto, concepto.repeat(30))));
    expect(paginas.length).toBeGreaterThan(1);
    comprobarMaquetacion(paginas);
  });

  it('a complemento paid in USD for facturas in USD and MXN, with a long Leyenda in its timbre', async () => {
    const xml = complemento(1, 1)
      .replace('MonedaP="MXN" TipoCambioP="1"', 'MonedaP="USD" TipoCambioP="17.123456"')
      .replace('MonedaDR="MXN" EquivalenciaDR="1"', 'MonedaDR="USD" EquivalenciaDR="1"')
      .replace('MonedaDR="MXN" EquivalenciaDR="1"', 'MonedaDR="MXN" EquivalenciaDR="17.123456"')
      .replace('RfcProvCertif=', `Leyenda="${'Leyenda del proveedor de certificación para este comprobante '.repeat(3)}" RfcProvCertif=`);
    const paginas = maquetar('layout-complemento-usd', await generarPdf(xml));
    comprobarMaquetacion(paginas);
    expect(palabras(paginas)).toEqual(expect.arrayContaining(['USD', '17.123456']));
  });

  it('a sandbox document: band and content do not overlap (the watermark crosses them on purpose)', async () => {
    const paginas = maquetar('layout-sandbox', await generarPdf(REAL, { sandbox: true }));
    comprobarMaquetacion(paginas.map((p) => ({ ...p, palabras: p.palabras.filter((w) => w.y1 - w.y0 < 30 && w.x1 - w.x0 < 200) })));
  });

  it('recibos de nómina and CFDI with Carta Porte: their boxes and tables, nómina amounts at 2 decimals', async () => {
    const casos = [
      ['N', 'nomina/horas-extra'],
      ['N', 'nomina/separacion-indemnizacion'],
      ['N', 'nomina/jubilacion'],
      ['N', 'nomina/incapacidad'],
      ['T', 'carta-porte/material-peligroso'],
      ['T', 'carta-porte/remolque'],
      ['I', 'carta-porte/flete-ingreso'],
    ] as const;
    for (const [tipo, nombre] of casos) {
      const paginas = maquetar(`layout-${nombre.replace('/', '-')}`, await generarPdf(await emitidoDeFixture(fixture, tipo, nombre, 'AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE')));
      comprobarMaquetacion(paginas);
      if (tipo === 'N') expect(new Set(decimalesDeImportes(palabras(paginas)))).toEqual(new Set([2]));
    }
  });

  it('a factura in USD with TipoCambio, discounts and pedimentos', async () => {
    comprobarMaquetacion(maquetar('layout-factura-usd', await generarPdf(conTimbre(muestra('created-with-discounts-40.xml'), 'AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE'))));
  });
});
