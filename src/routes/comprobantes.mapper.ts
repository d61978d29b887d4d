import type { Context } from 'hono';
import type { AppEnv } from '../lib/context';
import type { OpcionesAceptar, Solicitud } from '../services/emision';
import { simulacionDe } from './simulacion';

// The one mapper from a creating request of the API to the emission services: the body, already checked
// against its documented schema, is the service's input; what only HTTP carries (the Idempotency-Key
// and X-HexaFac-Simular headers, the key's application loaded by auth) becomes the options.
// `borrador` says how to store it, not what the comprobante is: it never reaches the kind's rules (see esBorrador).
export function solicitudDe(c: Context<AppEnv>, body: object): [Solicitud, OpcionesAceptar] {
  const simulacion = simulacionDe(c);
  const { borrador: _, ...solicitud } = body as Solicitud;
  return [solicitud, { idempotencyKey: c.req.header('Idempotency-Key'), aplicacion: c.get('application'), ...(simulacion ? { simulacion } : {}) }];
}

/** Whether a creating request asks for a borrador (src/routes/comprobantes.schemas.ts BORRADOR_CAMPO). */
export const esBorrador = (body: object) => (body as { borrador?: unknown }).borrador === true;
