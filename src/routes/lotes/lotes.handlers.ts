import type { RouteHandler, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { API_BASE } from '../../env';
import type { AppEnv } from '../../lib/context';
import { toPage } from '../../lib/pagination';
import { tenantOf } from '../../lib/tenancy';
import { crearLote, listarLotes, LOTE, obtenerLote, TIPOS_DE_LOTE, type ItemLote, type Lote, type LoteFila, type TipoDeLote } from '../../services/lotes';
import { ComplementoPagoCrearSchema, FacturaCrearSchema } from '../comprobantes.schemas';
import { esBorrador, solicitudDe } from '../comprobantes.mapper';
import { problemasDeForma } from '../comprobantes.validar';
import { respuesta202 } from '../comprobantes.views';
import { resumenDeLote } from '../lotes.schemas';
import type { crear, listar, LoteCrearSchema, obtener } from './lotes.routes';

/** The request schema of each kind's own route (a nota de crédito's is the factura's). */
const ESQUEMAS: Record<TipoDeLote, z.ZodType> = { factura: FacturaCrearSchema, nota_credito: FacturaCrearSchema, complemento_pago: ComplementoPagoCrearSchema };

/** An item's `datos` read as its own route reads its body: the kind's request, or every problem that route would name. */
async function leerItem(c: Context<AppEnv>, item: z.infer<typeof LoteCrearSchema>['items'][number]): Promise<ItemLote<TipoDeLote>> {
  const base = { tipo: item.tipo, ...(item.idempotency_key !== undefined ? { idempotencyKey: item.idempotency_key } : {}) };
  const r = await ESQUEMAS[item.tipo].safeParseAsync(item.datos);
  // a batch issues: a draft is made alone (POST /facturas with borrador) and sent with …/timbrar
  if (r.success && esBorrador(r.data as object)) return { ...base, errores: [BORRADOR_EN_LOTE] };
  if (r.success) return { ...base, solicitud: solicitudDe(c, r.data as object)[0] };
  return { ...base, errores: (await problemasDeForma(c, TIPOS_DE_LOTE[item.tipo], item.datos, r.error)).errores };
}

const BORRADOR_EN_LOTE = {
  path: 'borrador',
  code: 'HFX_BORRADOR_EN_LOTE',
  message: 'Un lote emite comprobantes; un borrador se crea con POST /facturas o /notas-credito y se timbra con …/timbrar.',
};

const rutaLote = (id: string) => `${API_BASE}/lotes/${id}`;

const resumen = (l: LoteFila) => resumenDeLote(l, rutaLote(l.id));

const vistaLote = (l: Lote<TipoDeLote>) => ({
  ...resumen(l.fila),
  por_status: l.por_status,
  items: l.items.map((i) => (i.status === 'aceptado' ? { ...i, links: { self: `${API_BASE}/facturas/${i.id}` } } : i)),
});

export const crearHandler: RouteHandler<typeof crear, AppEnv> = async (c) => {
  const cuerpo = c.req.valid('json');
  const [, opts] = solicitudDe(c, cuerpo);
  const items = await Promise.all(cuerpo.items.map((i) => leerItem(c, i)));
  const r = await crearLote(c.var.deps, tenantOf(c), LOTE, { items, cuerpo }, opts);
  return respuesta202(c, r, rutaLote(r.value.fila.id), vistaLote(r.value));
};

export const obtenerHandler: RouteHandler<typeof obtener, AppEnv> = async (c) =>
  c.json(vistaLote(await obtenerLote(c.var.deps, tenantOf(c), LOTE, c.req.valid('param').id)), 200);

export const listarHandler: RouteHandler<typeof listar, AppEnv> = async (c) => {
  const q = c.req.valid('query');
  return c.json(toPage(await listarLotes(c.var.deps, tenantOf(c), LOTE, q), q.limit, resumen), 200);
};
