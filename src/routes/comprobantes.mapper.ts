import type { Context } from 'hono';
import type { AppEnv } from '../lib/context';
import type { OpcionesAceptar, Solicitud } from '../services/emision';
import { simulacionDe } from './simulacion';

// The one mapper from a creating request of the API to the emission services: the body, already checked
// against its documented schema, is the service's input; what only HTTP carries (the Idempotency-Key
// and X-HexaFac-Simular headers, the key's application loaded by auth) becomes the options.
export function solicitudDe(c: Context<AppEnv>, body: object): [Solicitud, OpcionesAceptar] {
  const simulacion = simulacionDe(c);
  return [body as Solicitud, { idempotencyKey: c.req.header('Idempotency-Key'), aplicacion: c.get('application'), ...(simulacion ? { simulacion } : {}) }];
}
