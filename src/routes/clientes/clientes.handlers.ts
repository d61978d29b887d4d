import type { RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../lib/context';
import { tenantOf } from '../../lib/tenancy';
import {
  actualizarCliente,
  crearCliente,
  eliminarCliente,
  listarClientes,
  obtenerCliente,
  type ClienteRow,
} from '../../services/clientes';
import type { actualizar, crear, eliminar, listar, obtener } from './clientes.routes';

const aCliente = (r: ClienteRow) => ({
  id: r.id,
  rfc: r.rfc,
  nombre: r.nombre,
  domicilio_fiscal: r.domicilio_fiscal,
  regimen_fiscal: r.regimen_fiscal,
  uso_cfdi: r.uso_cfdi,
  email: r.email,
  created_at: r.created_at,
  updated_at: r.updated_at,
});

export const listarHandler: RouteHandler<typeof listar, AppEnv> = async (c) => {
  const page = await listarClientes(c.var.deps, tenantOf(c), c.req.valid('query'));
  return c.json({ data: page.data.map(aCliente), next_cursor: page.next_cursor }, 200);
};

export const crearHandler: RouteHandler<typeof crear, AppEnv> = async (c) => {
  const r = await crearCliente(c.var.deps, tenantOf(c), c.req.valid('json'), { idempotencyKey: c.req.header('Idempotency-Key') });
  c.header('Location', `${new URL(c.req.url).pathname}/${r.value.id}`);
  if (r.replayed) c.header('Idempotent-Replayed', 'true');
  return c.json(aCliente(r.value), 201);
};

export const obtenerHandler: RouteHandler<typeof obtener, AppEnv> = async (c) =>
  c.json(aCliente(await obtenerCliente(c.var.deps, tenantOf(c), c.req.valid('param').id)), 200);

export const actualizarHandler: RouteHandler<typeof actualizar, AppEnv> = async (c) => {
  const row = await actualizarCliente(c.var.deps, tenantOf(c), c.req.valid('param').id, c.req.valid('json'));
  return c.json(aCliente(row), 200);
};

export const eliminarHandler: RouteHandler<typeof eliminar, AppEnv> = async (c) => {
  await eliminarCliente(c.var.deps, tenantOf(c), c.req.valid('param').id);
  return c.body(null, 204);
};
