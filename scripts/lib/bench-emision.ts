// What both halves of `npm run bench` (plain Node and workerd) emit: the ingreso/egreso fixtures of
// test/fixtures/cfdi, as the SAT test issuer, at a moment their fechas and the test CSD are valid.
import type { Emisor } from '../../src/cfdi';

export const AHORA = new Date('2026-11-20T18:00:00Z');
export const EMISOR: Emisor = { rfc: 'EKU9003173C9', nombre: 'ESCUELA KEMPER URGATE', regimenFiscal: '601', lugarExpedicion: '42501' };

export interface Entrada {
  nombre: string;
  input: unknown;
  tipo: 'I' | 'E';
}
