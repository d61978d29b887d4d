import Decimal from 'decimal.js';
import { cadenaOriginalTfd } from './cadena';
import * as cat from './catalogs';
import { dec, formatear } from './decimal';
import { importeConLetra } from './importe-letra';
import { child, children, descendant, type XmlEntrada } from './dom';
import { dibujarCartaPorte } from './complementos/carta-porte/pdf';
import { dibujarNomina } from './comprobantes/nomina/pdf';
import { NS } from './namespaces';
import { arbolImpreso, leerComprobante, type Atributos, type Comprobante, type ImpuestosNodo } from './pdf-datos';
import { columnas, dinero, GRIS, importe, NEGRITA, type Caja, type Celda, type Columna, type Fila } from './pdf-formato';
import { PDFDocument, rgb, type PDFImage } from 'pdf-lib';
import { COLOR, Lienzo, type Estilo, type EstiloTexto } from './pdf-lienzo';
import { modulosQr, urlVerificacionSat } from './qr';

export { urlVerificacionSat } from './qr';

/**
 * The representación impresa (PDF) of a stamped CFDI 4.0: what the Anexo 20 asks a printed CFDI to
 * show — emisor, receptor, conceptos, impuestos, totals with the importe con letra, the folio fiscal,
 * both certificates, the sellos, the cadena original del complemento de certificación and the QR with
 * the SAT's verification URL. pdf-lib only (no fonts or canvas), so it runs in Workers and in Node.
 */

export interface LogoPdf {
  bytes: Uint8Array;
  tipo: 'image/png' | 'image/jpeg';
}

/** An issuer's identity on its documents; the service checks it (src/services/marca.ts), the PDF only draws it. */
export interface MarcaPdf {
  /** drawn at the top left, scaled to fit its box with its aspect kept */
  logo?: LogoPdf;
  /** "#RRGGBB": header band, section titles, table headers and the total, with white text on it */
  colorPrimario?: string;
  /** wrapped at the bottom of every page */
  piePagina?: string;
}

export interface OpcionesPdf {
  /** heading of the document; by default from TipoDeComprobante ("Factura", "Nota de crédito"...) */
  titulo?: string;
  /** prints a "SIN VALIDEZ FISCAL — sandbox" band and watermark on every page */
  sandbox?: boolean;
  marca?: MarcaPdf;
  /**
   * A large diagonal watermark on every page ('BORRADOR', 'VISTA PREVIA'). With it the XML may lack the
   * TimbreFiscalDigital (a draft, a preview): no QR nor timbre block, a "Sin timbrar" notice instead.
   */
  marcaAgua?: string;
}

const LOGO = { ancho: 150, alto: 54 };

async function incrustar(doc: PDFDocument, logo: LogoPdf): Promise<PDFImage> {
  // pdf-lib's JPEG reader views the whole ArrayBuffer, not the array's slice of it (a Node Buffer is one): a copy
  const bytes = new Uint8Array(logo.bytes);
  return logo.tipo === 'image/png' ? doc.embedPng(bytes) : doc.embedJpg(bytes);
}

/**
 * The logo's pixel size as pdf-lib reads it, or undefined when pdf-lib cannot embed it (an interlaced PNG
 * it misreads, a JPEG it does not know): the branding service refuses what the PDF could not draw.
 */
export async function medirLogo(logo: LogoPdf): Promise<{ ancho: number; alto: number } | undefined> {
  try {
    const imagen = await incrustar(await PDFDocument.create(), logo);
    // pdf-lib embeds lazily: writing the document is what decodes a PNG's pixels
    await imagen.embed();
    return { ancho: imagen.width, alto: imagen.height };
  } catch {
    return undefined;
  }
}

function colorDe(hex: string) {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`representación impresa: color inválido ${hex}`);
  return rgb(parseInt(m[1], 16) / 255, parseInt(m[2], 16) / 255, parseInt(m[3], 16) / 255);
}

const SIN_TIMBRE = 'Sin timbrar — no es un CFDI válido';

const TITULOS: Record<string, string> = {
  I: 'Factura',
  E: 'Nota de crédito',
  T: 'Traslado',
  N: 'Recibo de nómina',
  P: 'Recibo electrónico de pago',
};

/** "601 - General de Ley Personas Morales": the clave with its SAT catalog text, the clave alone if unknown. */
function clave(valor: string | undefined, buscar: (id?: string) => { texto: string } | undefined): string {
  if (!valor) return '';
  const fila = buscar(valor);
  return fila ? `${valor} - ${fila.texto}` : valor;
}

const ETIQUETA: Estilo = { ...GRIS, fuente: 'negrita' };

/**
 * An amount in `moneda` with that currency's c_Moneda decimals: conceptos and Pagos carry theirs at up to
 * 6 decimals, printed beside totals at 2. Display only, with the SAT's half-up rounding; the XML keeps its digits.
 */
function importeEn(moneda: string | undefined, valor: string | undefined): string {
  if (!valor) return '';
  return importe(formatear(dec(valor), (moneda ? cat.decimalesMoneda(moneda) : undefined) ?? 2));
}

function fecha(valor: string | undefined): string {
  return (valor ?? '').replace('T', ' ');
}

/** "IVA 16%", "IEPS Cuota 1.50", "IVA Exento". */
function nombreImpuesto(a: Atributos, sufijo = ''): string {
  const impuesto = cat.impuesto(a[`Impuesto${sufijo}`])?.texto ?? a[`Impuesto${sufijo}`];
  const factor = a[`TipoFactor${sufijo}`];
  const tasa = a[`TasaOCuota${sufijo}`];
  if (factor === 'Tasa' && tasa) return `${impuesto} ${new Decimal(tasa).times(100).toString()}%`;
  if (factor === 'Cuota' && tasa) return `${impuesto} Cuota ${tasa}`;
  return factor ? `${impuesto} ${factor}` : impuesto;
}

/** One line per tax: "Traslado IVA 16% Base 100.00 Importe 16.00"; amounts as `monto` prints them. */
function detalleImpuestos(imp: ImpuestosNodo, sufijo: string, monto: (valor: string) => string): string[] {
  const linea = (tipo: string, a: Atributos) =>
    [`${tipo} ${nombreImpuesto(a, sufijo)}`, a[`Base${sufijo}`] && `Base ${monto(a[`Base${sufijo}`])}`, a[`Importe${sufijo}`] && `Importe ${monto(a[`Importe${sufijo}`])}`]
      .filter(Boolean)
      .join(' ');
  return [...imp.traslados.map((t) => linea('Traslado', t)), ...imp.retenciones.map((r) => linea('Retención', r))];
}

/** Something laid out before it is drawn, so what must stay together can ask for its room first. */
interface Bloque {
  alto: number;
  dibujar: () => void;
}

type FilaTabla = Celda[];

class Representacion {
  constructor(
    private readonly l: Lienzo,
    private readonly cfdi: Comprobante,
    private readonly titulo: string,
    private readonly cadenaTfd: string | undefined,
    private readonly logo: PDFImage | undefined,
  ) {}

  private get serieFolio(): string {
    return [this.cfdi.a.Serie, this.cfdi.a.Folio].filter(Boolean).join('-');
  }

  /** Section heading bar. */
  private barra(x: number, y: number, ancho: number, texto: string): number {
    const alto = 13;
    this.l.rect(x, y - alto, ancho, alto, { relleno: this.l.acento });
    this.l.texto(texto.toUpperCase(), x + 5, y - alto + 4, { size: 7, fuente: 'negrita', color: COLOR.blanco });
    return alto;
  }

  /**
   * A titled box of "label: value" rows, laid out first so two boxes side by side can share a height.
   * Returns the height and a function that draws it with its top at `y`.
   */
  private caja(ancho: number, titulo: string, filas: Fila[], anchoEtiqueta = 82) {
    const l = this.l;
    const visibles = filas.filter(([, v]) => v);
    const valorAncho = ancho - anchoEtiqueta - 10;
    const lh = l.altoLinea();
    // A label longer than its column (a TipoRelacion's text) wraps too, and its row grows to hold it.
    const bloques = visibles.map(([etiqueta, valor]) => {
      const etiquetas = l.lineas(etiqueta, anchoEtiqueta - 4, ETIQUETA);
      const lineas = l.lineas(valor as string, valorAncho);
      return { etiquetas, lineas, alto: Math.max(etiquetas.length, lineas.length) * lh };
    });
    const alto = 13 + 4 + bloques.reduce((s, b) => s + b.alto, 0) + 3;
    const dibujar = (x: number, y: number, altoTotal = alto) => {
      l.rect(x, y - altoTotal, ancho, altoTotal, { borde: COLOR.linea });
      let yy = y - this.barra(x, y, ancho, titulo) - 4;
      for (const b of bloques) {
        b.etiquetas.forEach((linea, i) => l.texto(linea, x + 5, yy - (i + 1) * lh + 2, ETIQUETA));
        b.lineas.forEach((linea, i) => l.texto(linea, x + anchoEtiqueta + 5, yy - (i + 1) * lh + 2));
        yy -= b.alto;
      }
    };
    return { alto, dibujar };
  }

  /**
   * Boxes in a row sharing one height, measured: `dibujar` draws them at the cursor and moves it below them
   * (`alto` includes the gap after them).
   */
  private filaDeCajas(...cajas: Caja[]): Bloque {
    const separacion = 10;
    const hechas = cajas.map((c) => this.caja(c.ancho, c.titulo, c.filas, c.anchoEtiqueta));
    const alto = Math.max(...hechas.map((h) => h.alto));
    const dibujar = () => {
      let x = this.l.izquierda;
      hechas.forEach((h, i) => {
        h.dibujar(x, this.l.y, alto);
        x += cajas[i].ancho + separacion;
      });
      this.l.y -= alto + 10;
    };
    return { alto: alto + 10, dibujar };
  }

  cajas(...cajas: Caja[]): void {
    const fila = this.filaDeCajas(...cajas);
    this.l.asegurar(fila.alto - 10);
    fila.dibujar();
  }

  encabezado(): void {
    const { l, cfdi } = this;
    const anchoCaja = 236;
    const xCaja = l.derecha - anchoCaja;
    const top = l.y;

    // Emisor, left, under the logo if there is one.
    const anchoEmisor = l.anchoUtil - anchoCaja - 18;
    let y = top;
    if (this.logo) {
      const medida = this.logo.scaleToFit(Math.min(LOGO.ancho, anchoEmisor), LOGO.alto);
      l.pagina.drawImage(this.logo, { x: l.izquierda, y: top - medida.height, width: medida.width, height: medida.height });
      y -= medida.height + 6;
    }
    for (const linea of l.lineas(cfdi.emisor.Nombre ?? '', anchoEmisor, { size: 14, fuente: 'negrita' })) {
      y -= 16;
      l.texto(linea, l.izquierda, y + 3, { size: 14, fuente: 'negrita', color: this.l.acento });
    }
    y -= 4;
    const datosEmisor: Fila[] = [
      ['RFC', cfdi.emisor.Rfc],
      ['Régimen fiscal', clave(cfdi.emisor.RegimenFiscal, cat.regimenFiscal)],
      ['Lugar de expedición (C.P.)', cfdi.a.LugarExpedicion],
      ['Factura a través de adquirente', cfdi.emisor.FacAtrAdquirente],
    ];
    for (const [etiqueta, valor] of datosEmisor.filter(([, v]) => v)) {
      const lineas = l.lineas(`${etiqueta}: ${valor}`, anchoEmisor, { size: 8 });
      for (const linea of lineas) {
        y -= 11;
        l.texto(linea, l.izquierda, y + 2, { size: 8 });
      }
    }
    const yEmisor = y;

    // Document identity, right.
    const filas: Fila[] = [
      ['Serie y folio', this.serieFolio],
      ['Folio fiscal (UUID)', cfdi.timbre?.UUID],
      ['Fecha de emisión', fecha(cfdi.a.Fecha)],
      ['Fecha de certificación', fecha(cfdi.timbre?.FechaTimbrado)],
      ['Tipo de comprobante', clave(cfdi.a.TipoDeComprobante, cat.tipoDeComprobante)],
    ];
    const valor: EstiloTexto = { size: 7.5, fuente: 'negrita', alinear: 'der', ancho: anchoCaja - 6 };
    const bloques = filas
      .filter(([, v]) => v)
      .map(([etiqueta, v]) => {
        const libre = anchoCaja - 20 - l.medir(etiqueta, { ...GRIS, fuente: 'negrita' });
        return { etiqueta, lineas: l.lineas(v as string, libre, valor) };
      });
    const altoTitulo = 22;
    const altoCaja = altoTitulo + 4 + bloques.reduce((s, b) => s + b.lineas.length * 11, 0) + 2;
    l.rect(xCaja, top - altoCaja, anchoCaja, altoCaja, { borde: COLOR.linea });
    l.rect(xCaja, top - altoTitulo, anchoCaja, altoTitulo, { relleno: this.l.acento });
    // A custom title shrinks to fit beside "CFDI 4.0".
    const titulo = this.titulo.toUpperCase();
    const size = Math.min(11, (11 * (anchoCaja - 60)) / l.medir(titulo, { size: 11, fuente: 'negrita' }));
    l.texto(titulo, xCaja + 8, top - 15, { size, fuente: 'negrita', color: COLOR.blanco });
    l.texto('CFDI 4.0', xCaja, top - 14.5, { size: 7, color: COLOR.blanco, alinear: 'der', ancho: anchoCaja - 8 });
    y = top - altoTitulo - 4;
    for (const b of bloques) {
      l.texto(b.etiqueta, xCaja + 6, y - 8, { ...GRIS, fuente: 'negrita' });
      for (const linea of b.lineas) {
        y -= 11;
        l.texto(linea, xCaja, y + 3, valor);
      }
    }
    l.y = Math.min(yEmisor, top - altoCaja) - 12;
  }

  /** Emisor and document number repeated at the top of every continuation page. */
  encabezadoContinuacion(): void {
    const { l, cfdi } = this;
    const ref = [this.titulo, this.serieFolio, cfdi.timbre ? `Folio fiscal ${cfdi.timbre.UUID}` : SIN_TIMBRE].filter(Boolean).join('  ·  ');
    const estiloRef: Estilo = { size: 7, color: COLOR.suave };
    const estiloNombre: Estilo = { size: 9, fuente: 'negrita', color: this.l.acento };
    // A long name wraps in the room the reference leaves it, instead of running under it.
    const nombre = l.lineas(cfdi.emisor.Nombre ?? '', l.anchoUtil - l.medir(ref, estiloRef) - 12, estiloNombre);
    let y = l.y - 9;
    l.texto(ref, l.izquierda, y, { ...estiloRef, alinear: 'der', ancho: l.anchoUtil });
    nombre.forEach((linea, i) => l.texto(linea, l.izquierda, y - i * 11, estiloNombre));
    y -= (nombre.length - 1) * 11;
    l.linea(l.izquierda, y - 5, l.derecha, y - 5);
    l.y = y - 14;
  }

  receptorYPago(): void {
    const { l, cfdi } = this;
    const r = cfdi.receptor;
    const mitad = (l.anchoUtil - 10) / 2;
    this.cajas(
      {
        ancho: mitad,
        titulo: 'Receptor',
        filas: [
          ['Nombre', r.Nombre],
          ['RFC', r.Rfc],
          ['Domicilio fiscal (C.P.)', r.DomicilioFiscalReceptor],
          ['Régimen fiscal', clave(r.RegimenFiscalReceptor, cat.regimenFiscal)],
          ['Uso del CFDI', clave(r.UsoCFDI, cat.usoCfdi)],
          ['Residencia fiscal', r.ResidenciaFiscal],
          ['Núm. reg. id. tributario', r.NumRegIdTrib],
        ],
      },
      {
        ancho: mitad,
        titulo: 'Condiciones del comprobante',
        filas: [
          ['Forma de pago', clave(cfdi.a.FormaPago, cat.formaPago)],
          ['Método de pago', clave(cfdi.a.MetodoPago, cat.metodoPago)],
          ['Condiciones de pago', cfdi.a.CondicionesDePago],
          ['Moneda', clave(cfdi.a.Moneda, cat.moneda)],
          ['Tipo de cambio', cfdi.a.TipoCambio],
          ['Exportación', clave(cfdi.a.Exportacion, cat.exportacion)],
          ['Confirmación', cfdi.a.Confirmacion],
        ],
      },
    );
  }

  informacionAdicional(): void {
    const { l, cfdi } = this;
    const g = cfdi.informacionGlobal;
    if (g) {
      this.cajas({
        ancho: l.anchoUtil,
        titulo: 'Información global (público en general)',
        filas: [
          ['Periodicidad', clave(g.Periodicidad, cat.periodicidad)],
          ['Meses', clave(g.Meses, cat.mes)],
          ['Año', g['Año']],
        ],
      });
    }
    if (cfdi.relacionados.length > 0) {
      this.cajas({
        ancho: l.anchoUtil,
        titulo: 'CFDI relacionados',
        anchoEtiqueta: 150,
        filas: cfdi.relacionados.map((r): Fila => [clave(r.tipoRelacion, cat.tipoRelacion), r.uuids.join('\n')]),
      });
    }
  }

  /**
   * A table whose rows flow over pages, repeating the header row on each one. The header never ends a
   * page without its first row, nor does `titulo` (a pago's boxes) end one without the header.
   */
  tabla(columnas: Columna[], filas: FilaTabla[], titulo?: Bloque): void {
    const l = this.l;
    const pad = 3;
    const medidas = filas.map((celdas) => {
      const bloques = celdas.map((celda, j) =>
        celda
          .filter((p) => p.texto)
          .flatMap((p) => l.lineas(p.texto as string, columnas[j].ancho - 2 * pad, p.estilo).map((t) => ({ t, estilo: p.estilo ?? {} }))),
      );
      const alto = Math.max(...bloques.map((b) => b.reduce((s, x) => s + l.altoLinea(x.estilo), 0))) + 2 * pad;
      return { bloques, alto };
    });
    const altoEncabezado = 14;
    const encabezado = () => {
      const alto = altoEncabezado;
      l.rect(l.izquierda, l.y - alto, l.anchoUtil, alto, { relleno: this.l.acento });
      let x = l.izquierda;
      for (const c of columnas) {
        const estilo: EstiloTexto = { size: 6.5, fuente: 'negrita', color: COLOR.blanco, alinear: c.alinear, ancho: c.ancho - 2 * pad };
        l.texto(c.titulo, x + pad, l.y - alto + 4.5, estilo);
        x += c.ancho;
      }
      l.y -= alto;
    };
    l.asegurar((titulo?.alto ?? 0) + altoEncabezado + (medidas[0]?.alto ?? 0));
    titulo?.dibujar();
    encabezado();
    medidas.forEach(({ bloques, alto }, i) => {
      if (l.asegurar(alto)) encabezado();
      if (i % 2 === 1) l.rect(l.izquierda, l.y - alto, l.anchoUtil, alto, { relleno: COLOR.fondo });
      let x = l.izquierda;
      bloques.forEach((bloque, j) => {
        let y = l.y - pad;
        for (const { t, estilo } of bloque) {
          y -= l.altoLinea(estilo);
          l.texto(t, x + pad, y + 2, { ...estilo, alinear: columnas[j].alinear, ancho: columnas[j].ancho - 2 * pad });
        }
        x += columnas[j].ancho;
      });
      l.y -= alto;
      l.linea(l.izquierda, l.y, l.derecha, l.y);
    });
    l.y -= 10;
  }

  conceptos(): void {
    const cols = columnas(this.l.anchoUtil, 3, [
      { titulo: 'Clave prod./serv.', ancho: 62 },
      { titulo: 'Cantidad', ancho: 44, alinear: 'der' },
      { titulo: 'Unidad', ancho: 56 },
      { titulo: 'Descripción', ancho: 0 },
      { titulo: 'Valor unitario', ancho: 64, alinear: 'der' },
      { titulo: 'Descuento', ancho: 54, alinear: 'der' },
      { titulo: 'Importe', ancho: 66, alinear: 'der' },
    ]);
    // Importes print at the currency's decimals like the totals; ValorUnitario keeps its own (a unit price may need 6).
    const enMoneda = (valor: string | undefined) => importeEn(this.cfdi.a.Moneda, valor);
    const filas = this.cfdi.conceptos.map((c): FilaTabla => {
      const a = c.a;
      const terceros = c.aCuentaTerceros;
      const detalle = [
        a.ObjetoImp && `Objeto de impuesto: ${clave(a.ObjetoImp, cat.objetoImp)}`,
        ...detalleImpuestos(c, '', enMoneda),
        ...c.pedimentos.map((p) => `Pedimento ${p}`),
        ...c.cuentasPrediales.map((p) => `Cuenta predial ${p}`),
        terceros && `A cuenta de terceros: ${terceros.RfcACuentaTerceros} ${terceros.NombreACuentaTerceros ?? ''}`.trim(),
      ].filter(Boolean);
      return [
        [{ texto: a.ClaveProdServ }, { texto: a.NoIdentificacion && `No. id. ${a.NoIdentificacion}`, estilo: GRIS }],
        [{ texto: a.Cantidad }],
        [{ texto: a.ClaveUnidad }, { texto: a.Unidad, estilo: GRIS }],
        [{ texto: a.Descripcion }, { texto: detalle.join('\n'), estilo: GRIS }],
        [{ texto: importe(a.ValorUnitario) }],
        [{ texto: enMoneda(a.Descuento) }],
        [{ texto: enMoneda(a.Importe), estilo: NEGRITA }],
      ];
    });
    this.tabla(cols, filas);
  }

  /** Full-width wrapped text at the cursor, breaking pages as needed. */
  private parrafo(texto: string, estilo: Estilo = {}, sangria = 0): void {
    const l = this.l;
    for (const linea of l.lineas(texto, l.anchoUtil - sangria, estilo)) {
      l.asegurar(l.altoLinea(estilo));
      l.y -= l.altoLinea(estilo);
      l.texto(linea, l.izquierda + sangria, l.y + 2, estilo);
    }
  }

  totales(): void {
    const { l, cfdi } = this;
    const a = cfdi.a;
    // a recibo de nómina's SubTotal is its percepciones and otros pagos, its Descuento the deducciones, its Total the neto
    const nomina = a.TipoDeComprobante === 'N';
    const filas: Fila[] = [
      [nomina ? 'Percepciones y otros pagos' : 'Subtotal', dinero(a.SubTotal)],
      [nomina ? 'Deducciones' : 'Descuento', a.Descuento && `-${dinero(a.Descuento)}`],
      ...(cfdi.impuestos?.traslados ?? []).map((t): Fila => [`Traslado ${nombreImpuesto(t)}`, dinero(t.Importe) || 'Exento']),
      ...(cfdi.impuestos?.retenciones ?? []).map((r): Fila => [`Retención ${nombreImpuesto(r)}`, `-${dinero(r.Importe)}`]),
    ].filter(([, v]) => v) as Fila[];
    const anchoTotales = 210;
    const lh = 12;
    const altoTotal = 18;
    const altoDer = filas.length * lh + 4 + altoTotal;

    const anchoLetra = l.anchoUtil - anchoTotales - 12;
    const letra = l.lineas(importeConLetra(a.Total, a.Moneda), anchoLetra - 10, { size: 8, fuente: 'negrita' });
    const altoIzq = 13 + 6 + letra.length * l.altoLinea({ size: 8 }) + 4;
    l.asegurar(Math.max(altoDer, altoIzq));
    const top = l.y;

    l.rect(l.izquierda, top - altoIzq, anchoLetra, altoIzq, { borde: COLOR.linea });
    let y = top - this.barra(l.izquierda, top, anchoLetra, 'Importe con letra') - 4;
    for (const linea of letra) {
      y -= l.altoLinea({ size: 8 });
      l.texto(linea, l.izquierda + 5, y + 2, { size: 8, fuente: 'negrita' });
    }

    const x = l.derecha - anchoTotales;
    y = top;
    for (const [etiqueta, valor] of filas) {
      y -= lh;
      l.texto(etiqueta, x + 4, y + 3, { size: 8, color: COLOR.suave });
      l.texto(valor as string, x, y + 3, { size: 8, alinear: 'der', ancho: anchoTotales - 6 });
      l.linea(x, y, l.derecha, y);
    }
    y -= 4 + altoTotal;
    l.rect(x, y, anchoTotales, altoTotal, { relleno: this.l.acento });
    l.texto(`${nomina ? 'Neto a pagar' : 'Total'} ${a.Moneda}`, x + 6, y + 6, { size: 9, fuente: 'negrita', color: COLOR.blanco });
    l.texto(dinero(a.Total), x, y + 5.5, { size: 10, fuente: 'negrita', color: COLOR.blanco, alinear: 'der', ancho: anchoTotales - 6 });
    l.y = Math.min(y, top - altoIzq) - 12;
  }

  pagos(): void {
    const { l } = this;
    const complemento = this.cfdi.pagos;
    if (!complemento) return;
    const mitad = (l.anchoUtil - 10) / 2;
    complemento.pagos.forEach((pago, i) => {
      const p = pago.a;
      const titulo = `Pago ${i + 1} de ${complemento.pagos.length} (complemento Pagos 2.0)`;
      const cuentas: Fila[] = [
        ['RFC banco ordenante', p.RfcEmisorCtaOrd],
        ['Banco ordenante (ext.)', p.NomBancoOrdExt],
        ['Cuenta ordenante', p.CtaOrdenante],
        ['RFC banco beneficiario', p.RfcEmisorCtaBen],
        ['Cuenta beneficiaria', p.CtaBeneficiario],
        ['Tipo de cadena de pago', p.TipoCadPago],
      ];
      const datos: Fila[] = [
        ['Fecha de pago', fecha(p.FechaPago)],
        ['Forma de pago', clave(p.FormaDePagoP, cat.formaPago)],
        ['Moneda', clave(p.MonedaP, cat.moneda)],
        ['Tipo de cambio', p.TipoCambioP],
        ['Monto', dinero(p.Monto)],
        ['Número de operación', p.NumOperacion],
      ];
      const cajas = cuentas.some(([, v]) => v)
        ? this.filaDeCajas({ ancho: mitad, titulo, filas: datos }, { ancho: mitad, titulo: 'Cuentas', filas: cuentas })
        : this.filaDeCajas({ ancho: l.anchoUtil, titulo, filas: datos });
      this.tabla(
        columnas(l.anchoUtil, 0, [
          { titulo: 'Documento relacionado', ancho: 0 },
          { titulo: 'Serie y folio', ancho: 60 },
          { titulo: 'Moneda / equiv.', ancho: 54 },
          { titulo: 'Parcialidad', ancho: 42, alinear: 'der' },
          { titulo: 'Saldo anterior', ancho: 64, alinear: 'der' },
          { titulo: 'Importe pagado', ancho: 64, alinear: 'der' },
          { titulo: 'Saldo insoluto', ancho: 64, alinear: 'der' },
        ]),
        pago.documentos.map((d): FilaTabla => {
          const enDR = (valor: string | undefined) => importeEn(d.a.MonedaDR, valor);
          const detalle = [d.a.ObjetoImpDR && `Objeto de impuesto: ${clave(d.a.ObjetoImpDR, cat.objetoImp)}`, ...detalleImpuestos(d, 'DR', enDR)];
          return [
            [{ texto: d.a.IdDocumento }, { texto: detalle.filter(Boolean).join('\n'), estilo: GRIS }],
            [{ texto: [d.a.Serie, d.a.Folio].filter(Boolean).join('-') }],
            [{ texto: [d.a.MonedaDR, d.a.EquivalenciaDR].filter(Boolean).join(' / ') }],
            [{ texto: d.a.NumParcialidad }],
            [{ texto: enDR(d.a.ImpSaldoAnt) }],
            [{ texto: enDR(d.a.ImpPagado), estilo: NEGRITA }],
            [{ texto: enDR(d.a.ImpSaldoInsoluto) }],
          ];
        }),
        cajas,
      );
      const impuestosP = detalleImpuestos(pago, 'P', (valor) => importeEn(p.MonedaP, valor));
      if (impuestosP.length > 0) {
        // the heading never ends a page without its first line
        l.asegurar(2 * l.altoLinea({ size: 7 }));
        this.parrafo('Impuestos del pago', { size: 7, fuente: 'negrita' });
        for (const linea of impuestosP) this.parrafo(linea, { size: 7 }, 8);
        l.y -= 10;
      }
    });
    const t = complemento.totales;
    this.cajas({
      ancho: l.anchoUtil,
      titulo: 'Totales de pagos',
      anchoEtiqueta: 160,
      filas: [
        ['Monto total de pagos', dinero(t.MontoTotalPagos)],
        ['Total trasladados base IVA 16%', dinero(t.TotalTrasladosBaseIVA16)],
        ['Total trasladados IVA 16%', dinero(t.TotalTrasladosImpuestoIVA16)],
        ['Total trasladados base IVA 8%', dinero(t.TotalTrasladosBaseIVA8)],
        ['Total trasladados IVA 8%', dinero(t.TotalTrasladosImpuestoIVA8)],
        ['Total trasladados base IVA 0%', dinero(t.TotalTrasladosBaseIVA0)],
        ['Total trasladados IVA 0%', dinero(t.TotalTrasladosImpuestoIVA0)],
        ['Total trasladados base IVA exento', dinero(t.TotalTrasladosBaseIVAExento)],
        ['Total retenciones IVA', dinero(t.TotalRetencionesIVA)],
        ['Total retenciones ISR', dinero(t.TotalRetencionesISR)],
        ['Total retenciones IEPS', dinero(t.TotalRetencionesIEPS)],
      ],
    });
  }

  /** A draft or a preview: said where the timbre would be, so nobody takes it for a CFDI. */
  sinTimbre(): void {
    const { l } = this;
    const estilo: Estilo = { size: 9, fuente: 'negrita', color: COLOR.alerta };
    const alto = 13 + 8 + l.altoLinea(estilo) + 6;
    l.asegurar(alto);
    const top = l.y;
    l.rect(l.izquierda, top - alto, l.anchoUtil, alto, { borde: COLOR.alerta });
    this.barra(l.izquierda, top, l.anchoUtil, 'Timbre fiscal digital');
    l.texto(SIN_TIMBRE, l.izquierda + 6, top - 13 - 8 - l.altoLinea(estilo) + 3, estilo);
    l.y = top - alto - 10;
  }

  timbre(t: Atributos): void {
    const { l, cfdi } = this;
    const url = urlVerificacionSat({
      uuid: t.UUID ?? '',
      rfcEmisor: cfdi.emisor.Rfc ?? '',
      rfcReceptor: cfdi.receptor.Rfc ?? '',
      total: cfdi.a.Total ?? '0',
      sello: cfdi.a.Sello ?? '',
    });
    const mono: Estilo = { size: 6, fuente: 'mono' };
    const largos: Fila[] = [
      ['Sello digital del CFDI', cfdi.a.Sello],
      ['Sello digital del SAT', t.SelloSAT],
      ['Cadena original del complemento de certificación digital del SAT', this.cadenaTfd],
    ];
    const lhMono = l.altoLinea(mono);

    const qr = 98;
    const datos: Fila[] = [
      ['Folio fiscal (UUID)', t.UUID],
      ['No. de serie del certificado del emisor', cfdi.a.NoCertificado],
      ['No. de serie del certificado del SAT', t.NoCertificadoSAT],
      ['Fecha y hora de certificación', fecha(t.FechaTimbrado)],
      ['RFC del proveedor de certificación', t.RfcProvCertif],
      ['Leyenda', t.Leyenda],
    ];
    l.asegurar(13 + 6 + qr + 8);

    const top = l.y;
    l.y -= this.barra(l.izquierda, top, l.anchoUtil, 'Timbre fiscal digital') + 6;
    this.dibujarQr(url, l.izquierda, l.y, qr);

    const x = l.izquierda + qr + 14;
    const ancho = l.derecha - x;
    let y = l.y;
    for (const [etiqueta, valor] of datos.filter(([, v]) => v)) {
      l.texto(etiqueta, x, y - 8, ETIQUETA);
      // a PAC's Leyenda can be longer than the line
      for (const linea of l.lineas(valor as string, ancho - 150, { size: 7.5 })) {
        y -= 10;
        l.texto(linea, x + 150, y + 2, { size: 7.5 });
      }
    }
    y -= 6;
    for (const linea of l.lineas(`Verifique este comprobante en ${url}`, ancho, GRIS)) {
      y -= l.altoLinea(GRIS);
      l.texto(linea, x, y + 2, GRIS);
    }
    l.y = Math.min(y, l.y - qr) - 8;

    // Sellos and cadena flow over the page break (a heading keeps its first line) instead of pushing the
    // whole timbre onto a new page and leaving a third of this one empty.
    for (const [etiqueta, valor] of largos) {
      l.asegurar(10 + lhMono);
      l.y -= 10;
      l.texto(etiqueta, l.izquierda, l.y + 2, { size: 7, fuente: 'negrita' });
      for (const linea of l.lineas(valor ?? '', l.anchoUtil, mono)) {
        l.asegurar(lhMono);
        l.y -= lhMono;
        l.texto(linea, l.izquierda, l.y + 1.5, mono);
      }
      l.y -= 4;
    }
  }

  /** The QR as vector squares: one filled rectangle per horizontal run of dark modules. */
  private dibujarQr(texto: string, x: number, yArriba: number, lado: number): void {
    const modulos = modulosQr(texto);
    const rects: [number, number, number, number][] = [];
    modulos.forEach((fila, r) => {
      for (let c = 0; c < fila.length; ) {
        if (!fila[c]) {
          c++;
          continue;
        }
        let fin = c;
        while (fin < fila.length && fila[fin]) fin++;
        rects.push([c, r, fin - c, 1]);
        c = fin;
      }
    });
    this.l.rectangulosNegros(rects, x, yArriba, lado / modulos.length);
  }
}

/**
 * The PDF of `xml`: a stamped CFDI, or with `marcaAgua` an unstamped one (a draft's, a preview's). The
 * branding's logo must be one `medirLogo` accepts and its color "#RRGGBB".
 */
export async function generarPdf(xml: XmlEntrada, opts: OpcionesPdf = {}): Promise<Uint8Array> {
  const arbol = arbolImpreso(xml);
  const cfdi = leerComprobante(arbol, { sinTimbre: opts.marcaAgua !== undefined });
  const titulo = opts.titulo ?? TITULOS[cfdi.a.TipoDeComprobante] ?? 'CFDI';
  const marca = opts.marca ?? {};
  const l = await Lienzo.crear({
    titulo: `${titulo} ${[cfdi.a.Serie, cfdi.a.Folio].filter(Boolean).join('-')} ${cfdi.timbre?.UUID ?? ''}`.replace(/ +/g, ' ').trim(),
    sandbox: opts.sandbox
      ? { banda: 'SIN VALIDEZ FISCAL — sandbox: timbrado por el PAC de pruebas de HexaFac', marca: 'SIN VALIDEZ FISCAL' }
      : undefined,
    marcaAgua: opts.marcaAgua,
    acento: marca.colorPrimario ? colorDe(marca.colorPrimario) : undefined,
    piePagina: marca.piePagina,
  });
  const logo = marca.logo && (await incrustar(l.doc, marca.logo));
  const r = new Representacion(l, cfdi, titulo, cfdi.timbre && cadenaOriginalTfd(arbol), logo);
  l.alContinuar = () => r.encabezadoContinuacion();
  r.encabezado();
  r.receptorYPago();
  r.informacionAdicional();
  r.conceptos();
  // a recibo's employee and its percepciones and deducciones come before the neto they add up to (the totals)
  const complemento = child(arbol, NS.cfdi, 'Complemento');
  for (const nomina of complemento ? children(complemento, NS.nomina12, 'Nomina') : []) dibujarNomina(r, nomina, cfdi.receptor, l.anchoUtil);
  // A payment receipt's amounts live in its Pagos complement; its own Total is 0 in currency XXX, as a traslado's.
  if (cfdi.a.TipoDeComprobante !== 'P' && cfdi.a.TipoDeComprobante !== 'T') r.totales();
  r.pagos();
  const cartaPorte = descendant(arbol, NS.cartaporte31, 'CartaPorte');
  if (cartaPorte) dibujarCartaPorte(r, cartaPorte, l.anchoUtil);
  if (cfdi.timbre) r.timbre(cfdi.timbre);
  else r.sinTimbre();
  return l.guardar(cfdi.timbre ? 'Este documento es una representación impresa de un CFDI versión 4.0' : SIN_TIMBRE);
}
