import type { Context } from 'hono';
import type { AppEnv } from '../lib/context';
import { DomainError } from '../lib/errors';
import { ENCABEZADO_SIMULACION, parseSimulacion } from '../pac/simulacion';
import type { Simulacion } from '../pac/types';

/**
 * The sandbox's failure triggers a test-mode request asks for (src/pac/simulacion.ts). A live key sending
 * the header gets a 400: production never simulates, and silently ignoring it would hide the mistake.
 */
export function simulacionDe(c: Context<AppEnv>): Simulacion | undefined {
  const valor = c.req.header(ENCABEZADO_SIMULACION);
  if (valor === undefined) return undefined;
  const path = `headers.${ENCABEZADO_SIMULACION.toLowerCase()}`;
  if (c.get('auth').mode !== 'test') {
    throw new DomainError('simulacion_solo_pruebas', 'malformed', `${ENCABEZADO_SIMULACION} solo se acepta con llaves de prueba.`, [
      { path, message: 'Quita el encabezado en modo live.' },
    ]);
  }
  const r = parseSimulacion(valor);
  if (!r.ok) throw new DomainError('simulacion_invalida', 'malformed', r.message, [{ path, message: r.message }]);
  return r.simulacion;
}
