import type { RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../lib/context';
import { tenantOf } from '../../lib/tenancy';
import { handlerValidar } from '../comprobantes.validar';
import { aceptarNotaCredito, NOTA_CREDITO } from '../../services/notas-credito';
import { crearComprobante, handlerActualizar, handlerTimbrar } from '../comprobantes.borradores';
import { vistaDetalle } from '../comprobantes.views';
import type { crear, obtener } from './notas-credito.routes';

export const crearHandler: RouteHandler<typeof crear, AppEnv> = (c) => crearComprobante(c, NOTA_CREDITO, aceptarNotaCredito);

export const obtenerHandler: RouteHandler<typeof obtener, AppEnv> = async (c) =>
  c.json(await vistaDetalle(c.var.deps, tenantOf(c), c.req.valid('param').id, 'E'), 200);

export const validarHandler = handlerValidar(NOTA_CREDITO);

export const actualizarHandler = handlerActualizar('E');
export const timbrarHandler = handlerTimbrar('E');
