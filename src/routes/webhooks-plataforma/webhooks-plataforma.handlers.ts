import type { RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../../lib/context';
import * as service from '../../services/webhooks';
import type * as routes from './webhooks-plataforma.routes';

/** The owner of these endpoints: the calling key's platform. */
const plataformaDe = (c: Context<AppEnv>) => ({ platformId: c.var.plataforma.platformId });

export const listarHandler: RouteHandler<typeof routes.listar, AppEnv> = async (c) =>
  c.json(await service.listarWebhooks(c.var.deps, plataformaDe(c), c.req.valid('query')), 200);

export const crearHandler: RouteHandler<typeof routes.crear, AppEnv> = async (c) => {
  const r = await service.crearWebhook(c.var.deps, plataformaDe(c), c.req.valid('json'), { idempotencyKey: c.req.header('Idempotency-Key') });
  if (r.replayed) c.header('Idempotent-Replayed', 'true');
  return c.json({ ...r.value.webhook, secret: r.value.secret }, 201);
};

export const obtenerHandler: RouteHandler<typeof routes.obtener, AppEnv> = async (c) =>
  c.json(await service.obtenerWebhook(c.var.deps, plataformaDe(c), c.req.valid('param').id), 200);

export const actualizarHandler: RouteHandler<typeof routes.actualizar, AppEnv> = async (c) =>
  c.json(await service.actualizarWebhook(c.var.deps, plataformaDe(c), c.req.valid('param').id, c.req.valid('json')), 200);

export const eliminarHandler: RouteHandler<typeof routes.eliminar, AppEnv> = async (c) => {
  await service.eliminarWebhook(c.var.deps, plataformaDe(c), c.req.valid('param').id);
  return c.body(null, 204);
};

export const rotarSecretoHandler: RouteHandler<typeof routes.rotarSecreto, AppEnv> = async (c) => {
  const { webhook, secret } = await service.rotarSecreto(c.var.deps, plataformaDe(c), c.req.valid('param').id);
  return c.json({ ...webhook, secret }, 200);
};

export const listarEntregasHandler: RouteHandler<typeof routes.listarEntregas, AppEnv> = async (c) =>
  c.json(await service.listarEntregas(c.var.deps, plataformaDe(c), c.req.valid('param').id, c.req.valid('query')), 200);

export const reenviarEntregaHandler: RouteHandler<typeof routes.reenviarEntrega, AppEnv> = async (c) => {
  const { id, entrega } = c.req.valid('param');
  return c.json(await service.reenviarEntrega(c.var.deps, plataformaDe(c), id, entrega), 202);
};

export const enviarPruebaHandler: RouteHandler<typeof routes.enviarPrueba, AppEnv> = async (c) =>
  c.json(await service.enviarPrueba(c.var.deps, plataformaDe(c), c.req.valid('param').id), 202);
