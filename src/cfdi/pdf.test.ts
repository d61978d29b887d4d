import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PDFArray, PDFDocument, PDFRawStream, decodePDFRawStream, type PDFObject } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { generarPdf, urlVerificacionSat } from './pdf';
import { atributo, conTimbre, emitidoDeFixture } from './pdf-muestras';

const raiz = fileURLToPath(new URL('../../', import.meta.url));
const muestra = (nombre: string) => readFileSync(`${raiz}test/fixtures/sat/samples/${nombre}`, 'utf8');
const fixture = (ruta: string) => readFileSync(`${raiz}test/fixtures/${ruta}`);
const REAL = muestra('cfdi40-real.xml');
const UUID_REAL = 'C2832671-DA6D-11EF-A83D-00155D012007';

function guardar(nombre: string, pdf: Uint8Array): void {
  mkdirSync(`${raiz}test/output/pdf`, { recursive: true });
  writeFileSync(`${raiz}test/output/pdf/${nombre}`, pdf);
}

/**
 * The text a PDF draws, one entry per text-showing operator, page by page. pdf-lib writes standard-font
 * text as WinAnsi hex strings (`<48656C6C6F> Tj`) inside Flate-compressed content streams.
 */
// Windows-1252 differs from Latin-1 in 0x80–0x9F (Node's TextDecoder treats it as Latin-1).
const CP1252 = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';
const winAnsi = (bytes: Buffer) => [...bytes].map((b) => (b >= 0x80 && b < 0xa0 ? CP1252[b - 0x80] : String.fromCharCode(b))).join('');

async function textoPorPagina(pdf: Uint8Array): Promise<string[][]> {
  const doc = await PDFDocument.load(pdf);
  return doc.getPages().map((pagina) => {
    const contenido = pagina.node.Contents();
    const streams: PDFObject[] =
      contenido instanceof PDFArray ? contenido.asArray().map((r) => doc.context.lookup(r) as PDFObject) : [contenido as PDFObject];
    const operadores = streams
      .map((s) => Buffer.from(decodePDFRawStream(s as PDFRawStream).decode()).toString('latin1'))
      .join('\n');
    return [...operadores.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g)].map((m) => winAnsi(Buffer.from(m[1], 'hex')));
  });
}

const todo = (paginas: string[][]) => paginas.flat().join('\n');


describe('urlVerificacionSat', () => {
  const base = { uuid: UUID_REAL, rfcEmisor: 'ISD950921HE5', rfcReceptor: 'COSC8001137NA', sello: atributo(REAL, 'Sello') };

  it('builds the Anexo 20 URL: total without non-significant zeros, last 8 characters of the sello', () => {
    expect(urlVerificacionSat({ ...base, total: '1000.00' })).toBe(
      'https://verificacfdi.facturaelectronica.sat.gob.mx/default.aspx' +
        '?id=C2832671-DA6D-11EF-A83D-00155D012007&re=ISD950921HE5&rr=COSC8001137NA&tt=1000.0&fe=hNjeNw==',
    );
  });

  it.each([
    ['1234.5600', '1234.56'],
    ['0', '0.0'],
    ['0.000001', '0.000001'],
    ['862.07', '862.07'],
    // 18 integer digits survive exactly: no float on the way.
    ['123456789012345678.123456', '123456789012345678.123456'],
  ])('tt for %s is %s', (total, tt) => {
    expect(new URL(urlVerificacionSat({ ...base, total })).searchParams.get('tt')).toBe(tt);
  });

  it('writes an & in an RFC as &amp; and keeps Ñ', () => {
    const url = urlVerificacionSat({ ...base, rfcEmisor: 'Ñ&A010101AAA', total: '1' });
    expect(url).toContain('&re=Ñ&amp;A010101AAA&rr=');
  });
});

describe('generarPdf', () => {
  it('prints a real stamped CFDI with its fiscal data, totals, sellos and cadena del TFD', async () => {
    const pdf = await generarPdf(REAL);
    guardar('sample.pdf', pdf);
    expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    const paginas = await textoPorPagina(pdf);
    expect(paginas).toHaveLength(1);
    const texto = todo(paginas);
    for (const esperado of [
      UUID_REAL,
      'ISD950921HE5',
      'PASE, SERVICIOS ELECTRONICOS',
      'COSC8001137NA',
      'CARLOS CORTES SOTO',
      'O-52375239',
      '2025-01-24 10:10:41',
      '601 - General de Ley Personas Morales',
      'G03 - Gastos en general.',
      '04 - Tarjeta de crédito',
      'PUE - Pago en una sola exhibición',
      'COMISION RECARGA IDMX',
      '853.448276',
      'Traslado IVA 16% Base 8.62 Importe 1.38',
      '$862.07',
      '$137.93',
      '$1,000.00',
      'MIL PESOS 00/100 M.N.',
      '00001000000510877575',
      '00001000000708361114',
      'TBN040609RKA',
      'Página 1 de 1',
    ]) {
      expect(texto).toContain(esperado);
    }
    expect(texto).not.toContain('SIN VALIDEZ FISCAL');

    // Sellos and cadena are wrapped over several lines: glued back together they are whole.
    const pegado = paginas.flat().join('');
    const selloCfd = atributo(REAL, 'Sello');
    const selloSat = atributo(REAL, 'SelloSAT');
    expect(pegado).toContain(selloCfd);
    expect(pegado).toContain(selloSat);
    expect(pegado).toContain(`||1.1|${UUID_REAL}|2025-01-24T10:10:42|TBN040609RKA|${selloCfd}|00001000000708361114||`);
    expect(pegado).toContain(urlVerificacionSat({ uuid: UUID_REAL, rfcEmisor: 'ISD950921HE5', rfcReceptor: 'COSC8001137NA', total: '1000.00', sello: selloCfd }));
  });

  it('marks every page of a sandbox document as without fiscal validity', async () => {
    const pdf = await generarPdf(REAL, { sandbox: true, titulo: 'Factura de prueba' });
    guardar('sample-sandbox.pdf', pdf);
    const paginas = await textoPorPagina(pdf);
    for (const pagina of paginas) expect(pagina.join('\n')).toMatch(/SIN VALIDEZ FISCAL — sandbox/);
    expect(todo(paginas)).toContain('FACTURA DE PRUEBA');
  });

  it('flows 200 conceptos over several pages, repeating the identification and table header', async () => {
    const concepto = (n: number) =>
      `<cfdi:Concepto ClaveProdServ="81112100" Cantidad="${n}" ClaveUnidad="E48" Unidad="Servicio" ` +
      `Descripcion="Concepto número ${n}: servicio de hospedaje y mantenimiento ${'con descripción larga '.repeat(n % 7)}fin ${n}" ` +
      `ValorUnitario="1.00" Importe="${n}.00" ObjetoImp="01"/>`;
    const conceptos = Array.from({ length: 200 }, (_, i) => concepto(i + 1)).join('');
    const xml = REAL.replace(/<cfdi:Conceptos>[\s\S]*<\/cfdi:Conceptos>/, `<cfdi:Conceptos>${conceptos}</cfdi:Conceptos>`);
    const pdf = await generarPdf(xml);
    guardar('sample-200-conceptos.pdf', pdf);
    const paginas = await textoPorPagina(pdf);
    expect(paginas.length).toBeGreaterThanOrEqual(4);
    paginas.forEach((pagina, i) => {
      const texto = pagina.join('\n');
      expect(texto).toContain(`Página ${i + 1} de ${paginas.length}`);
      expect(texto).toContain(UUID_REAL);
      if (i < paginas.length - 1) expect(texto).toContain('Descripción');
    });
    const texto = todo(paginas);
    for (let n = 1; n <= 200; n++) expect(texto.match(new RegExp(`fin ${n}\\b`, 'g'))).toHaveLength(1);
    // The TFD block is kept whole, after the last concepto.
    const ultima = paginas[paginas.length - 1].join('\n');
    expect(ultima).toContain('Sello digital del SAT');
    expect(ultima).toContain('Cadena original del complemento de certificación digital del SAT');
  });

  it('renders Spanish characters and replaces what WinAnsi cannot encode instead of crashing', async () => {
    const xml = REAL.replace('Nombre="PASE, SERVICIOS ELECTRONICOS"', 'Nombre="ÑANDÚ CAFÉ, ¿SÍ? ¡ÓLE! Pingüino"').replace(
      'Descripcion="RECARGA IDMX"',
      'Descripcion="Recarga “año” — Ελλάδα 漢字 😀 Brașov"',
    );
    const texto = todo(await textoPorPagina(await generarPdf(xml)));
    expect(texto).toContain('ÑANDÚ CAFÉ, ¿SÍ? ¡ÓLE! Pingüino');
    // Greek and CJK become "?" (the emoji, one code point, one "?"); ș keeps its base letter.
    expect(texto).toContain('Recarga “año” — ?????? ?? ? Brasov');
  });

  it('prints a Pagos 2.0 receipt with its payments and documentos relacionados', async () => {
    const uuid = '4B1D5E2A-0000-4000-8000-0000000000A1';
    const pdf = await generarPdf(conTimbre(muestra('created-cfdi40-pago20-valid.xml'), uuid));
    guardar('sample-pagos.pdf', pdf);
    const texto = todo(await textoPorPagina(pdf));
    for (const esperado of [
      'RECIBO ELECTRÓNICO DE PAGO',
      uuid,
      'P - Pago',
      'CP01 - Pagos',
      '2023-06-12 17:18:19',
      '03 - Transferencia electrónica de fondos',
      '$15,000.00',
      '963852',
      'BMI9704113PA',
      '00000000-1111-2222-3333-00000000000A',
      '00000000-1111-2222-3333-00000000000B',
      '12,000.00',
      '7,000.00',
      'Traslado IVA 16% Base 10,344.83 Importe 1,655.17',
      'Traslado IVA 16% Base 12,931.04 Importe 2,068.96',
      '$12,931.04',
      '$2,068.96',
    ]) {
      expect(texto).toContain(esperado);
    }
    // A payment receipt's own Total is 0 XXX: no importe con letra for it.
    expect(texto).not.toContain('IMPORTE CON LETRA');
  });

  it('prints a recibo de nómina: the employee, the period, percepciones, deducciones, otros pagos, incapacidades and the neto', async () => {
    const uuid = '7E2A9C10-0000-4000-8000-00000000000E';
    const pdf = await generarPdf(await emitidoDeFixture(fixture, 'N', 'nomina/incapacidad', uuid));
    guardar('sample-nomina.pdf', pdf);
    const texto = todo(await textoPorPagina(pdf));
    for (const esperado of [
      'RECIBO DE NÓMINA',
      uuid,
      // the employee
      'CECILIA MIRANDA SANCHEZ',
      'MISC491214B86',
      'MISC491214MHGRNC03',
      '12345678901',
      '0006',
      '350 semanas (P350W)',
      '01 - Contrato de trabajo por tiempo',
      // the period
      '2026-11-15',
      '2026-11-01 al 2026-11-15',
      '04 - Quincenal',
      '$522.74',
      'B5510768108',
      '1 - Clase I',
      // percepciones with their gravado and exento, and the SAT's totals
      'Subsidio por incapacidad',
      '$5,000.00',
      'Total percepciones $6,500.00',
      'Sueldos: $6,500.00',
      // deducciones
      'Cuota obrera IMSS',
      'Descuento por incapacidad',
      '$1,945.00',
      'Impuestos retenidos (ISR): $320.00',
      'Otras deducciones: $1,625.00',
      'Subsidio para el empleo',
      'Subsidio causado: $0.00',
      '02 - Enfermedad en general.',
      // the neto, in figures and in words
      'Percepciones y otros pagos',
      '-$1,945.00',
      'Neto a pagar MXN',
      '$4,555.00',
      'CUATRO MIL QUINIENTOS CINCUENTA Y CINCO PESOS 00/100 M.N.',
    ]) {
      expect(texto).toContain(esperado);
    }
    // a recibo's Subtotal and Descuento are named for what they are
    expect(texto).not.toMatch(/^(Subtotal|Total MXN)$/m);
  });

  it('prints a traslado with its Carta Porte: ubicaciones, mercancías, autotransporte and figuras, no totals', async () => {
    const xml = await emitidoDeFixture(fixture, 'T', 'carta-porte/dos-destinos', 'C0FFEE00-0000-4000-8000-00000000000C');
    const pdf = await generarPdf(xml);
    guardar('sample-carta-porte.pdf', pdf);
    const texto = todo(await textoPorPagina(pdf));
    for (const esperado of ['TRASLADO', atributo(xml, 'IdCCP'), '1117.75 km', '135.425 KGM', 'Computadoras portátiles', 'Monitores', 'Origen', 'Destino', '01 Operador']) {
      expect(texto).toContain(esperado);
    }
    expect(texto).not.toContain('IMPORTE CON LETRA');
  });

  it('prints discounts, foreign currency and the pedimentos of a concepto', async () => {
    const xml = conTimbre(muestra('created-with-discounts-40.xml'), 'AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE');
    const texto = todo(await textoPorPagina(await generarPdf(xml)));
    expect(texto).toContain('TRES MIL DOSCIENTOS CUARENTA Y OCHO DÓLARES 00/100 USD');
    expect(texto).toContain('USD - Dólar americano');
    expect(texto).toContain('18.9008');
    expect(texto).toContain('-$500.00');
    expect(texto).toContain('$3,248.00');
    expect(texto).toContain('Pedimento 17  24  3420  7010987');
  });

  it('prints información global, CFDI relacionados and retenciones', async () => {
    const relacionado = '0A1B2C3D-0000-4000-8000-000000000001';
    const xml = REAL.replace(
      '<cfdi:Emisor ',
      '<cfdi:InformacionGlobal Periodicidad="04" Meses="01" Año="2025"/>' +
        `<cfdi:CfdiRelacionados TipoRelacion="04"><cfdi:CfdiRelacionado UUID="${relacionado}"/></cfdi:CfdiRelacionados>` +
        '<cfdi:Emisor ',
    ).replace(
      '<cfdi:Impuestos TotalImpuestosTrasladados="137.93">',
      '<cfdi:Impuestos TotalImpuestosTrasladados="137.93" TotalImpuestosRetenidos="86.21">' +
        '<cfdi:Retenciones><cfdi:Retencion Impuesto="001" Importe="86.21"/></cfdi:Retenciones>',
    );
    const texto = todo(await textoPorPagina(await generarPdf(xml)));
    expect(texto).toContain('04 - Mensual');
    expect(texto).toContain('01 - Enero');
    expect(texto).toContain('2025');
    expect(texto).toContain('04 - Sustitución de los CFDI previos');
    expect(texto).toContain(relacionado);
    expect(texto).toMatch(/Retención ISR\n-\$86\.21/);
  });

  it('prints an unstamped CFDI under a watermark, saying where the timbre would be that it is no CFDI', async () => {
    const pdf = await generarPdf(muestra('created-with-discounts-40.xml'), { marcaAgua: 'BORRADOR' });
    guardar('sample-borrador.pdf', pdf);
    const paginas = await textoPorPagina(pdf);
    for (const pagina of paginas) expect(pagina).toContain('BORRADOR');
    const texto = todo(paginas);
    expect(texto).toContain('Sin timbrar — no es un CFDI válido');
    expect(texto).toContain('$3,248.00');
    for (const ausente of ['Folio fiscal', 'Fecha de certificación', 'Sello digital del SAT', 'verificacfdi', 'representación impresa']) {
      expect(texto).not.toContain(ausente);
    }
  });

  it('refuses what is not a stamped CFDI 4.0', async () => {
    await expect(generarPdf(muestra('created-with-discounts-40.xml'))).rejects.toThrow(/no está timbrado/);
    await expect(generarPdf('<a/>')).rejects.toThrow(/no es un CFDI 4.0/);
    await expect(generarPdf(REAL.replace('Version="4.0"', 'Version="3.3"'))).rejects.toThrow(/no es un CFDI 4.0/);
  });
});
