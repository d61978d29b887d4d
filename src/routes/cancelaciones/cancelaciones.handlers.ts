import type { RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../lib/context';
import { tenantOf } from '../../lib/tenancy';
import { acuseDe } from '../../services/archivos';
import { handlerCancelar } from '../comprobantes.cancelacion';
import { descarga } from '../comprobantes.views';
import type { acuse } from './cancelaciones.routes';

export const cancelarHandler = handlerCancelar();

export const acuseHandler: RouteHandler<typeof acuse, AppEnv> = async (c) => descarga(c, await acuseDe(c.var.deps, tenantOf(c), c.req.valid('param').id));
