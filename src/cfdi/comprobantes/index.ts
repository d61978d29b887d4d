/**
 * The kinds of comprobante the core issues, by TipoDeComprobante. A kind is a folder of the same shape
 * (modelo: its input's shape; validar: its rules; calcular: its arithmetic; xml: its complement, if it
 * has one; index: `preparar`, input → Comprobante) registered here; emitir() seals any of them, so the
 * stamping job never branches on the kind.
 */
import type { Emisor, TipoDeComprobante } from '../comprobante';
import type { Csd } from '../csd';
import { sellarComprobante, type Emision, type Preparacion } from '../emision';
import { prepararComprobante } from './ingreso-egreso';
import { prepararNomina } from './nomina';
import { prepararComplementoPago } from './pago';
import { prepararTraslado } from './traslado';

export interface ClaseDeComprobante {
  /** Input (unknown JSON) → the validated Comprobante, or every problem. */
  preparar(entrada: unknown, emisor: Emisor, opts: { ahora?: Date }): Preparacion;
}

const ingresoEgreso = (tipo: 'I' | 'E'): ClaseDeComprobante => ({
  preparar: (entrada, emisor, { ahora }) => prepararComprobante(entrada, emisor, { tipo, ahora }),
});

export const COMPROBANTES = {
  I: ingresoEgreso('I'),
  E: ingresoEgreso('E'),
  P: { preparar: prepararComplementoPago },
  N: { preparar: prepararNomina },
  T: { preparar: prepararTraslado },
} as const satisfies Partial<Record<TipoDeComprobante, ClaseDeComprobante>>;

export type TipoEmitible = keyof typeof COMPROBANTES;

/** The kind's preparar, then the sello with the CSD (which must be the emisor's and valid at the Fecha). */
export async function emitir(tipo: TipoEmitible, entrada: unknown, emisor: Emisor, csd: Csd, opts: { ahora?: Date } = {}): Promise<Emision> {
  const prep = COMPROBANTES[tipo].preparar(entrada, emisor, { ahora: opts.ahora });
  if (!prep.ok) return prep;
  return sellarComprobante(prep.comprobante, emisor, csd);
}

/** emitir() of a factura ('I', the default) or nota de crédito ('E'). */
export const emitirCfdi = (entrada: unknown, emisor: Emisor, csd: Csd, opts: { tipo?: 'I' | 'E'; ahora?: Date } = {}) =>
  emitir(opts.tipo ?? 'I', entrada, emisor, csd, opts);

/** emitir() of a traslado (with its Carta Porte, when given). */
export const emitirTraslado = (entrada: unknown, emisor: Emisor, csd: Csd, opts: { ahora?: Date } = {}) => emitir('T', entrada, emisor, csd, opts);

/** emitir() of a recibo de nómina. */
export const emitirNomina = (entrada: unknown, emisor: Emisor, csd: Csd, opts: { ahora?: Date } = {}) => emitir('N', entrada, emisor, csd, opts);

/** emitir() of a complemento de pago. */
export const emitirComplementoPago = (entrada: unknown, emisor: Emisor, csd: Csd, opts: { ahora?: Date } = {}) => emitir('P', entrada, emisor, csd, opts);
