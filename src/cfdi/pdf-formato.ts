/**
 * What the representación impresa (pdf.ts) shares with the complements' parts it draws with its own boxes and
 * tables (complementos/carta-porte/pdf.ts, comprobantes/nomina/pdf.ts): rows, cells, styles and amounts.
 */
import { COLOR, type Estilo } from './pdf-lienzo';

export type Fila = [etiqueta: string, valor: string | undefined];

/** A table cell: paragraphs, each wrapped to the column; a row has one cell per column. */
export type Celda = Array<{ texto: string | undefined; estilo?: Estilo }>;

export interface Columna {
  titulo: string;
  ancho: number;
  alinear?: 'izq' | 'der' | 'centro';
}

/** A titled box of "label: value" rows; rows without a value are left out. */
export interface Caja {
  ancho: number;
  titulo: string;
  filas: Fila[];
  anchoEtiqueta?: number;
}

/** What the layout lends a complement's part: boxes side by side, and tables that flow over pages. */
export interface Dibujo {
  cajas(...cajas: Caja[]): void;
  tabla(columnas: Columna[], filas: Celda[][]): void;
}

export const GRIS: Estilo = { size: 6.5, color: COLOR.suave };
export const NEGRITA: Estilo = { fuente: 'negrita' };

/** "1234567.5" → "1,234,567.5": thousands separators on the XML's own digits, never a float. */
export function importe(valor: string | undefined): string {
  if (!valor) return '';
  return valor.replace(/^(-?)(\d+)/, (_, signo: string, ent: string) => signo + ent.replace(/\B(?=(\d{3})+(?!\d))/g, ','));
}

export function dinero(valor: string | undefined): string {
  return valor ? `$${importe(valor)}` : '';
}

/** Stretches the column of `flexible` to fill `ancho`. */
export function columnas(ancho: number, flexible: number, cols: Columna[]): Columna[] {
  cols[flexible]!.ancho = ancho - cols.reduce((s, c) => s + c.ancho, 0);
  return cols;
}
