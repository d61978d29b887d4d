import type { RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../lib/context';
import { tenantOf } from '../../lib/tenancy';
import * as service from '../../services/webhooks';
import type * as routes from './webhooks.routes';

export const listHandler: RouteHandler<typeof routes.list, AppEnv> = async (c) =>
  c.json(await service.listarWebhooks(c.var.deps, tenantOf(c), c.req.valid('query')), 200);

export const createHandler: RouteHandler<typeof routes.create, AppEnv> = async (c) => {
  const { webhook, secret } = await service.crearWebhook(c.var.deps, tenantOf(c), c.req.valid('json'));
  return c.json({ ...webhook, secret }, 201);
};

export const getHandler: RouteHandler<typeof routes.get, AppEnv> = async (c) =>
  c.json(await service.obtenerWebhook(c.var.deps, tenantOf(c), c.req.valid('param').id), 200);

export const updateHandler: RouteHandler<typeof routes.update, AppEnv> = async (c) =>
  c.json(await service.actualizarWebhook(c.var.deps, tenantOf(c), c.req.valid('param').id, c.req.valid('json')), 200);

export const removeHandler: RouteHandler<typeof routes.remove, AppEnv> = async (c) => {
  await service.eliminarWebhook(c.var.deps, tenantOf(c), c.req.valid('param').id);
  return c.body(null, 204);
};

export const rotateHandler: RouteHandler<typeof routes.rotate, AppEnv> = async (c) => {
  const { webhook, secret } = await service.rotarSecreto(c.var.deps, tenantOf(c), c.req.valid('param').id);
  return c.json({ ...webhook, secret }, 200);
};

export const listEntregasHandler: RouteHandler<typeof routes.listEntregas, AppEnv> = async (c) =>
  c.json(await service.listarEntregas(c.var.deps, tenantOf(c), c.req.valid('param').id, c.req.valid('query')), 200);

export const resendHandler: RouteHandler<typeof routes.resend, AppEnv> = async (c) => {
  const { id, entrega } = c.req.valid('param');
  return c.json(await service.reenviarEntrega(c.var.deps, tenantOf(c), id, entrega), 202);
};

export const testHandler: RouteHandler<typeof routes.test, AppEnv> = async (c) =>
  c.json(await service.enviarPrueba(c.var.deps, tenantOf(c), c.req.valid('param').id), 202);
