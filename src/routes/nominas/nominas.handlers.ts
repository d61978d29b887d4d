import type { RouteHandler } from '@hono/zod-openapi';
import { API_BASE } from '../../env';
import type { AppEnv } from '../../lib/context';
import { toPage } from '../../lib/pagination';
import { tenantOf } from '../../lib/tenancy';
import type { LoteFila } from '../../services/lotes';
import { crearNomina, listarNominas, obtenerNomina, type Nomina, type Periodo } from '../../services/nominas';
import { solicitudDe } from '../comprobantes.mapper';
import { respuesta202 } from '../comprobantes.views';
import { resumenDeLote } from '../lotes.schemas';
import type { crear, listar, obtener } from './nominas.routes';

const rutaNomina = (id: string) => `${API_BASE}/nominas/${id}`;
const rutaRecibo = (id: string) => `${API_BASE}/recibos-nomina/${id}`;

const resumen = (l: LoteFila) => ({ ...resumenDeLote(l, rutaNomina(l.id)), periodo: l.periodo as Periodo });

// a recibo's result names no tipo: a payroll has one
const vistaNomina = (n: Nomina) => ({
  ...resumen(n.fila),
  por_status: n.por_status,
  recibos: n.items.map(({ tipo: _, ...i }) => (i.status === 'aceptado' ? { ...i, links: { self: rutaRecibo(i.id) } } : i)),
  no_timbrados: n.no_timbrados.map((f) => ({ ...f, links: { self: rutaRecibo(f.id) } })),
});

export const crearHandler: RouteHandler<typeof crear, AppEnv> = async (c) => {
  const cuerpo = c.req.valid('json');
  // each recibo is read by its kind's own rules in the service (the core reads the shape field by field), so one bad recibo is that recibo's answer
  const [, opts] = solicitudDe(c, cuerpo);
  const r = await crearNomina(c.var.deps, tenantOf(c), cuerpo, opts);
  return respuesta202(c, r, rutaNomina(r.value.fila.id), vistaNomina(r.value));
};

export const obtenerHandler: RouteHandler<typeof obtener, AppEnv> = async (c) =>
  c.json(vistaNomina(await obtenerNomina(c.var.deps, tenantOf(c), c.req.valid('param').id)), 200);

export const listarHandler: RouteHandler<typeof listar, AppEnv> = async (c) => {
  const q = c.req.valid('query');
  return c.json(toPage(await listarNominas(c.var.deps, tenantOf(c), q), q.limit, resumen), 200);
};
