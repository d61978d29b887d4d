import { createRoute, z, type RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { requireAuth } from '../lib/auth';
import type { AppEnv } from '../lib/context';
import { DomainError, zodDetails } from '../lib/errors';
import { errorResponses, jsonContent } from '../lib/openapi';
import { tenantOf } from '../lib/tenancy';
import { validar, type TipoEmision } from '../services/emision';
import { solicitudDe } from './comprobantes.mapper';

// POST /<kind>/validar for every kind: the creating route's body, run through every rule of the creating route
// (receptor, cliente_id, saldos, the SAT's matrices) without consuming a folio, storing anything or reaching a PAC.
// It changes nothing, so a read key may call it.

const DetalleSchema = z.object({ path: z.string(), message: z.string(), code: z.string().optional() });

export const ValidacionSchema = z
  .object({
    valido: z.boolean().meta({ description: 'true: la solicitud de creación sería aceptada (202) con estos datos, ahora.' }),
    errores: z.array(DetalleSchema).meta({ description: 'Lo que la creación respondería como 422, cada problema con su ruta y código.' }),
    advertencias: z.array(DetalleSchema).meta({ description: 'Lo que el SAT admite pero conviene revisar (p. ej. IVA 8 % fuera de la franja fronteriza).' }),
    comprobante: z
      .record(z.string(), z.unknown())
      .nullable()
      .meta({
        description:
          'El comprobante calculado (totales, impuestos por concepto y agrupados, complementos) con `cadena_original`, la que llevaría ' +
          'con el certificado del CSD cargado (null sin CSD); null si hay errores de las reglas.',
      }),
  })
  .meta({ id: 'Validacion' });

export function rutaValidar(path: string, operationId: string, tags: string[], schema: z.ZodType, que: string, example: unknown) {
  return createRoute({
    method: 'post',
    path,
    operationId,
    tags,
    summary: `Validar ${que} sin emitirla`,
    description:
      'El mismo cuerpo que la creación. Responde 200 con `valido`, los errores y advertencias que la creación daría y el comprobante calculado ' +
      'con su cadena original (con la serie por omisión del tipo si no se indica; sin folio si no se indica: el automático se asigna al crear). No consume folio, no guarda nada y no llega al PAC. Un campo con otra forma es un error más de la respuesta, con los de las reglas de los demás campos.',
    security: [{ bearerAuth: ['facturas:read'] }],
    middleware: [requireAuth('facturas:read')] as const,
    request: { body: { content: { 'application/json': { schema, example } }, required: true } },
    responses: {
      200: jsonContent(ValidacionSchema, 'El resultado de las reglas y el comprobante que resultaría.'),
      ...errorResponses(400, 401, 403, 413, 415, 422),
    },
  });
}

/** camelCase keys of the core's model → the API's snake_case, recursively (complementos are XML). */
function snake(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(snake);
  if (!v || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`), snake(x)]));
}

/**
 * The body of a creating (or validar) route that misses its documented shape still goes through the kind's own
 * reading and rules, so one answer names every problem: a malformed field never hides the SAT's rules of the
 * others (the core reads field by field). Creating: a 422 with all of them; validar: its 200 with valido false.
 */
export function hookComprobante(tipo: TipoEmision, modo: 'crear' | 'validar') {
  type Resultado = { success: boolean; data?: unknown; error?: z.ZodError; target: string };
  const fallo = async (result: Resultado, c: Context<AppEnv>): Promise<Response> => {
    if (result.target !== 'json' || !result.data || typeof result.data !== 'object') throw DomainError.validation(zodDetails(result.error!));
    const { errores, advertencias } = await problemasDeForma(c, tipo, result.data, result.error!);
    if (modo === 'validar') return c.json({ valido: false, errores, advertencias, comprobante: null }, 200);
    throw DomainError.validation(errores, 'El comprobante no cumple las reglas del SAT.');
  };
  // typed as never: the route's typed answers stay the handler's; the only Response made here is validar's documented 200
  return (result: Resultado, c: Context<AppEnv>) => (result.success ? undefined : (fallo(result, c) as Promise<never>));
}

/** Every problem of a body of the kind that misses its documented shape: the shape's own and the rules' of the other fields. */
export async function problemasDeForma(c: Context<AppEnv>, tipo: TipoEmision, data: object, error: z.ZodError) {
  const forma = zodDetails(error);
  // A kind's service may read stored data by what the shape promised (a P's documents by uuid or id): if the
  // malformed body trips it, the shape's own problems are the answer.
  const v = await validar(c.var.deps, tenantOf(c), tipo, ...solicitudDe(c, data)).catch((err: unknown) => {
    if (err instanceof DomainError && err.kind !== 'invalid') throw err;
    return null;
  });
  // the core names the shape's issues too (its shape is the documented one); a request-level refusal (no receptor)
  // stops before it, so what the shape saw elsewhere is added
  const dadas = new Set(v?.errores.map((e) => e.path) ?? []);
  return { errores: [...(v?.errores ?? []), ...forma.filter((e) => !dadas.has(e.path))], advertencias: v?.advertencias ?? [] };
}

export const handlerValidar =
  (tipo: TipoEmision): RouteHandler<ReturnType<typeof rutaValidar>, AppEnv> =>
  async (c) => {
    const v = await validar(c.var.deps, tenantOf(c), tipo, ...solicitudDe(c, c.req.valid('json') as object));
    const comprobante = v.comprobante && { ...(snake({ ...v.comprobante, complementos: undefined }) as object), complementos: v.comprobante.complementos };
    return c.json({ ...v, comprobante }, 200);
  };
