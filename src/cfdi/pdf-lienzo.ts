import { PDFDocument, StandardFonts, degrees, fill, popGraphicsState, pushGraphicsState, rectangle, rgb, setFillingRgbColor, type PDFFont, type PDFPage, type RGB } from 'pdf-lib';

/**
 * Page layout primitives for the representación impresa: a cursor that flows top to bottom over
 * US-Letter pages, text measured and wrapped with pdf-lib's standard fonts, and page breaks.
 * Standard fonts only encode WinAnsi (Windows-1252): every string goes through `limpiar`, which keeps
 * Spanish letters and replaces what the font cannot draw, so no user text can make pdf-lib throw.
 */

export const COLOR = {
  texto: rgb(0.13, 0.15, 0.19),
  suave: rgb(0.4, 0.43, 0.48),
  acento: rgb(0.08, 0.24, 0.43),
  linea: rgb(0.78, 0.8, 0.84),
  fondo: rgb(0.94, 0.95, 0.97),
  blanco: rgb(1, 1, 1),
  alerta: rgb(0.72, 0.09, 0.09),
};

export type Fuente = 'normal' | 'negrita' | 'mono';

export interface Estilo {
  size?: number;
  fuente?: Fuente;
  color?: RGB;
}

export interface EstiloTexto extends Estilo {
  alinear?: 'izq' | 'der' | 'centro';
  /** box width for 'der'/'centro' alignment */
  ancho?: number;
}

const TAMANO = 7.5;

export interface AvisoSandbox {
  banda: string;
  marca: string;
}

export interface OpcionesLienzo {
  titulo: string;
  sandbox?: AvisoSandbox;
  /** the issuer's primary color: header band, section titles, table headers, totals; by default COLOR.acento */
  acento?: RGB;
  /** a diagonal watermark on every page (a draft's or a preview's); replaces the sandbox's */
  marcaAgua?: string;
  /** the issuer's text, wrapped at the bottom of every page above the page number */
  piePagina?: string;
}

const INTERLINEA = 1.25;
const TAMANO_PIE = 6.5;

// Advance width of each character at size 1, per standard font. drawText writes the text without
// kerning, so this sum is exactly what is drawn (pdf-lib's widthOfTextAtSize adds kerning pairs, and
// measuring through it was the PDF's hottest path when wrapping 344-character sellos).
const anchos = new Map<string, Map<string, number>>();

function anchoTexto(font: PDFFont, texto: string, size: number): number {
  let tabla = anchos.get(font.name);
  if (!tabla) anchos.set(font.name, (tabla = new Map()));
  let total = 0;
  for (const ch of texto) {
    let w = tabla.get(ch);
    if (w === undefined) tabla.set(ch, (w = font.widthOfTextAtSize(ch, 1)));
    total += w;
  }
  return total * size;
}

export class Lienzo {
  readonly anchoPagina = 612;
  readonly altoPagina = 792;
  readonly margen = 36;
  /** room kept at the bottom of every page for the footer: the page number, plus the issuer's text if any */
  readonly pie: number;
  readonly paginas: PDFPage[] = [];
  readonly acento: RGB;
  y = 0;
  /** draws what repeats at the top of a continuation page (after the first) */
  alContinuar?: () => void;

  private readonly permitidos: Set<number>;
  private readonly sandbox: AvisoSandbox | undefined;
  private readonly marcaAgua: string | undefined;
  private readonly lineasPie: string[];

  private constructor(
    readonly doc: PDFDocument,
    private readonly fuentes: Record<Fuente, PDFFont>,
    opts: OpcionesLienzo,
  ) {
    this.permitidos = new Set(fuentes.normal.getCharacterSet());
    this.sandbox = opts.sandbox;
    this.marcaAgua = opts.marcaAgua ?? opts.sandbox?.marca;
    this.acento = opts.acento ?? COLOR.acento;
    this.lineasPie = opts.piePagina ? this.lineas(opts.piePagina, this.anchoUtil, { size: TAMANO_PIE }) : [];
    this.pie = 22 + this.lineasPie.length * this.altoLinea({ size: TAMANO_PIE });
  }

  static async crear(opts: OpcionesLienzo): Promise<Lienzo> {
    const doc = await PDFDocument.create();
    doc.setTitle(opts.titulo);
    doc.setProducer('HexaFac');
    doc.setCreator('HexaFac');
    const [normal, negrita, mono] = await Promise.all([
      doc.embedFont(StandardFonts.Helvetica),
      doc.embedFont(StandardFonts.HelveticaBold),
      doc.embedFont(StandardFonts.Courier),
    ]);
    const lienzo = new Lienzo(doc, { normal, negrita, mono }, opts);
    lienzo.nuevaPagina();
    return lienzo;
  }

  get pagina(): PDFPage {
    return this.paginas[this.paginas.length - 1];
  }
  get izquierda(): number {
    return this.margen;
  }
  get derecha(): number {
    return this.anchoPagina - this.margen;
  }
  get anchoUtil(): number {
    return this.derecha - this.izquierda;
  }

  nuevaPagina(): void {
    const continuacion = this.paginas.length > 0;
    this.paginas.push(this.doc.addPage([this.anchoPagina, this.altoPagina]));
    this.y = this.altoPagina - this.margen;
    if (this.sandbox) this.dibujarBanda(this.sandbox.banda);
    if (continuacion) this.alContinuar?.();
  }

  /** Starts a new page unless `alto` points still fit above the footer. Returns true if it broke. */
  asegurar(alto: number): boolean {
    if (this.y - alto >= this.margen + this.pie) return false;
    this.nuevaPagina();
    return true;
  }

  /**
   * Text the standard fonts can draw: WinAnsi characters stay (Ñ, á, ü, ¿, ¡, “ ”, —, €); accented
   * letters outside it lose the accent (ă → a); anything else becomes "?". Line breaks survive for
   * `lineas`, other control characters become spaces.
   */
  limpiar(texto: string): string {
    let out = '';
    for (const ch of texto) {
      const cp = ch.codePointAt(0) as number;
      if (ch === '\n') out += ch;
      else if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) out += ' ';
      else if (this.permitidos.has(cp)) out += ch;
      else {
        const base = ch.normalize('NFD').replace(/\p{M}/gu, '');
        out += base && [...base].every((c) => this.permitidos.has(c.codePointAt(0) as number)) ? base : '?';
      }
    }
    return out;
  }

  private fuente(estilo: Estilo): PDFFont {
    return this.fuentes[estilo.fuente ?? 'normal'];
  }

  medir(texto: string, estilo: Estilo = {}): number {
    return anchoTexto(this.fuente(estilo), this.limpiar(texto), estilo.size ?? TAMANO);
  }

  altoLinea(estilo: Estilo = {}): number {
    return (estilo.size ?? TAMANO) * INTERLINEA;
  }

  /** Draws one line with its baseline at `y`. */
  texto(texto: string, x: number, y: number, estilo: EstiloTexto = {}): void {
    const limpio = this.limpiar(texto).replace(/\n/g, ' ');
    const size = estilo.size ?? TAMANO;
    const font = this.fuente(estilo);
    let xx = x;
    if (estilo.alinear && estilo.alinear !== 'izq' && estilo.ancho !== undefined) {
      const libre = estilo.ancho - anchoTexto(font, limpio, size);
      xx = x + (estilo.alinear === 'der' ? libre : libre / 2);
    }
    this.pagina.drawText(limpio, { x: xx, y, size, font, color: estilo.color ?? COLOR.texto });
  }

  /** Word-wraps `texto` to `ancho`; a word longer than a line (a sello, a long RFC list) is cut by characters. */
  lineas(texto: string, ancho: number, estilo: Estilo = {}): string[] {
    const font = this.fuente(estilo);
    const size = estilo.size ?? TAMANO;
    const espacio = anchoTexto(font, ' ', size);
    const out: string[] = [];
    for (const parrafo of this.limpiar(texto).split('\n')) {
      // widths add up character by character, so each line is measured once, not once per word or letter
      let linea = '';
      let medida = 0;
      // Split on single spaces so runs of spaces (a pedimento's "17  24  3420") survive.
      for (const palabra of parrafo.split(' ')) {
        const conPalabra = (linea ? medida + espacio : 0) + anchoTexto(font, palabra, size);
        if (conPalabra <= ancho) {
          linea = linea ? `${linea} ${palabra}` : palabra;
          medida = conPalabra;
          continue;
        }
        if (linea) out.push(linea);
        linea = '';
        medida = 0;
        for (const ch of palabra) {
          const w = anchoTexto(font, ch, size);
          if (linea && medida + w > ancho) {
            out.push(linea);
            linea = '';
            medida = 0;
          }
          linea += ch;
          medida += w;
        }
      }
      out.push(linea);
    }
    return out;
  }

  rect(x: number, y: number, ancho: number, alto: number, opts: { relleno?: RGB; borde?: RGB } = {}): void {
    this.pagina.drawRectangle({
      x,
      y,
      width: ancho,
      height: alto,
      color: opts.relleno,
      borderColor: opts.borde,
      borderWidth: opts.borde ? 0.6 : 0,
    });
  }

  linea(x1: number, y1: number, x2: number, y2: number, color: RGB = COLOR.linea): void {
    this.pagina.drawLine({ start: { x: x1, y: y1 }, end: { x: x2, y: y2 }, thickness: 0.6, color });
  }

  /**
   * Black rectangles [x, y, ancho, alto] in `escala` units, y growing downwards from (x0, yArriba), filled
   * as one path with raw operators (drawRectangle or an SVG path would cost more than the whole page).
   */
  rectangulosNegros(rects: readonly (readonly [number, number, number, number])[], x0: number, yArriba: number, escala: number): void {
    this.pagina.pushOperators(
      pushGraphicsState(),
      setFillingRgbColor(0, 0, 0),
      ...rects.map(([x, y, ancho, alto]) => rectangle(x0 + x * escala, yArriba - (y + alto) * escala, ancho * escala, alto * escala)),
      fill(),
      popGraphicsState(),
    );
  }

  /** A sandbox document must never pass for a valid one: a band on top of every page... */
  private dibujarBanda(texto: string): void {
    const alto = 15;
    this.rect(this.izquierda, this.y - alto, this.anchoUtil, alto, { relleno: COLOR.alerta });
    this.texto(texto, this.izquierda, this.y - alto + 4.5, {
      size: 8,
      fuente: 'negrita',
      color: COLOR.blanco,
      alinear: 'centro',
      ancho: this.anchoUtil,
    });
    this.y -= alto + 8;
  }

  /**
   * ...and a translucent diagonal watermark drawn over the content, so no filled box hides it (a draft's
   * or a preview's too): sized to cross about two thirds of the diagonal, never larger than 96 points.
   */
  private dibujarMarcaAgua(pagina: PDFPage, texto: string): void {
    const font = this.fuentes.negrita;
    const limpio = this.limpiar(texto);
    const diagonal = Math.hypot(this.anchoPagina, this.altoPagina);
    const size = Math.min(96, (0.65 * diagonal) / anchoTexto(font, limpio, 1));
    const ancho = anchoTexto(font, limpio, size);
    const angulo = Math.atan2(this.altoPagina, this.anchoPagina);
    // Baseline start such that the rotated text is centred on the page (cap height ≈ 2/3 of size).
    const x = this.anchoPagina / 2 - (Math.cos(angulo) * ancho) / 2 + (Math.sin(angulo) * size) / 3;
    const y = this.altoPagina / 2 - (Math.sin(angulo) * ancho) / 2 - (Math.cos(angulo) * size) / 3;
    pagina.drawText(limpio, {
      x,
      y,
      size,
      font,
      color: COLOR.alerta,
      opacity: 0.13,
      rotate: degrees((angulo * 180) / Math.PI),
    });
  }

  /** Numbers every page ("Página i de n"), writes the issuer's footer above the rule and writes the file. */
  async guardar(pie: string): Promise<Uint8Array> {
    const total = this.paginas.length;
    const estilo = { size: TAMANO_PIE, font: this.fuentes.normal, color: COLOR.suave };
    const lh = this.altoLinea({ size: TAMANO_PIE });
    this.paginas.forEach((pagina, i) => {
      if (this.marcaAgua) this.dibujarMarcaAgua(pagina, this.marcaAgua);
      const y = this.margen - 4;
      pagina.drawLine({
        start: { x: this.izquierda, y: y + 10 },
        end: { x: this.derecha, y: y + 10 },
        thickness: 0.6,
        color: COLOR.linea,
      });
      this.lineasPie.forEach((linea, j) => {
        pagina.drawText(linea, { x: this.izquierda, y: y + 14 + (this.lineasPie.length - 1 - j) * lh, ...estilo });
      });
      pagina.drawText(this.limpiar(pie), { x: this.izquierda, y, ...estilo });
      const numero = `Página ${i + 1} de ${total}`;
      const ancho = anchoTexto(this.fuentes.normal, this.limpiar(numero), TAMANO_PIE);
      pagina.drawText(this.limpiar(numero), { x: this.derecha - ancho, y, ...estilo });
    });
    return this.doc.save();
  }
}
