import type { RouteHandler } from '@hono/zod-openapi';
import { buscarCatalogoCartaPorte, CATALOGOS_CARTA_PORTE, catalogs } from '../../cfdi';
import type { AppEnv } from '../../lib/context';
import { DomainError } from '../../lib/errors';
import type { catalogo, catalogoCartaPorte, clavesUnidad, codigoPostal, NOMBRES_CATALOGOS, productosServicios } from './catalogos.routes';

const hoy = () => new Date().toISOString().slice(0, 10);

export const productosServiciosHandler: RouteHandler<typeof productosServicios, AppEnv> = (c) => {
  const { q, limit } = c.req.valid('query');
  const data = catalogs.buscarProductosServicios(q, limit, hoy()).map((p) => ({
    clave: p.id, descripcion: p.descripcion, palabras_similares: p.palabrasSimilares || null, estimulo_franja_fronteriza: p.estimuloFranjaFronteriza,
  }));
  return c.json({ data }, 200);
};

export const clavesUnidadHandler: RouteHandler<typeof clavesUnidad, AppEnv> = (c) => {
  const { q, limit } = c.req.valid('query');
  const data = catalogs.buscarClavesUnidad(q, limit, hoy()).map((u) => ({ clave: u.id, nombre: u.texto, simbolo: u.simbolo ?? null }));
  return c.json({ data }, 200);
};

export const codigoPostalHandler: RouteHandler<typeof codigoPostal, AppEnv> = (c) => {
  const { cp } = c.req.valid('param');
  const r = catalogs.codigoPostal(cp);
  if (!r) throw new DomainError('codigo_postal_desconocido', 'not_found', `El código postal ${cp} no está en el catálogo c_CodigoPostal.`);
  return c.json(
    {
      codigo_postal: r.id, estado: r.estado, municipio: r.municipio || null, localidad: r.localidad ?? null,
      zona_horaria: r.zonaHoraria, franja_fronteriza: r.franjaFronteriza,
    },
    200,
  );
};

const d = catalogs.catalogos;
const TABLAS: Record<(typeof NOMBRES_CATALOGOS)[number], readonly object[]> = {
  'forma-pago': d.formasPago, 'metodo-pago': d.metodosPago, 'uso-cfdi': d.usosCfdi, 'regimen-fiscal': d.regimenesFiscales,
  moneda: d.monedas, impuesto: d.impuestos, 'tasa-o-cuota': d.reglasTasaCuota, 'objeto-imp': d.objetosImpuestos,
  exportacion: d.exportaciones, 'tipo-de-comprobante': d.tiposComprobantes, 'tipo-relacion': d.tiposRelaciones,
  periodicidad: d.periodicidades, mes: d.meses, 'tipo-factor': d.tiposFactores, estado: d.estados, pais: d.paises,
};

const snake = (k: string) => k.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`);
/** A row in the API's words: id → clave, texto → descripcion, vigencia flattened, camelCase → snake_case. */
function fila(row: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    if (k === 'vigencia') {
      const { desde, hasta } = v as { desde?: string; hasta?: string };
      out.vigencia_desde = desde ?? null;
      out.vigencia_hasta = hasta ?? null;
    } else out[k === 'id' ? 'clave' : k === 'texto' ? 'descripcion' : snake(k)] = v;
  }
  return out;
}

export const catalogoHandler: RouteHandler<typeof catalogo, AppEnv> = (c) => {
  const { nombre } = c.req.valid('param');
  const tabla = Object.hasOwn(TABLAS, nombre) ? TABLAS[nombre as keyof typeof TABLAS] : undefined;
  if (!tabla) throw new DomainError('catalogo_desconocido', 'not_found', `No existe el catálogo ${nombre}. Catálogos: ${Object.keys(TABLAS).join(', ')}.`);
  return c.json({ nombre, data: tabla.map(fila) }, 200);
};

// A page of an in-memory catalog is an offset: the cursor is the position after the last row given.
const cursorDe = (desde: number) => btoa(`p${desde}`);
function desdeCursor(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  let desde: number | undefined;
  try {
    const m = /^p(\d{1,6})$/.exec(atob(cursor));
    desde = m ? Number(m[1]) : undefined;
  } catch {
    desde = undefined;
  }
  if (desde === undefined) throw DomainError.validation([{ path: 'cursor', message: 'Cursor inválido.' }]);
  return desde;
}

export const catalogoCartaPorteHandler: RouteHandler<typeof catalogoCartaPorte, AppEnv> = (c) => {
  const { nombre } = c.req.valid('param');
  const { q, limit, cursor } = c.req.valid('query');
  const catalogo = Object.hasOwn(CATALOGOS_CARTA_PORTE, nombre) ? CATALOGOS_CARTA_PORTE[nombre] : undefined;
  if (!catalogo) {
    const nombres = Object.keys(CATALOGOS_CARTA_PORTE).join(', ');
    throw new DomainError('catalogo_desconocido', 'not_found', `No existe el catálogo de Carta Porte ${nombre}. Catálogos: ${nombres}.`);
  }
  const desde = desdeCursor(cursor);
  const filas = buscarCatalogoCartaPorte(nombre, q, desde + limit + 1);
  const next_cursor = filas.length > desde + limit ? cursorDe(desde + limit) : null;
  return c.json({ nombre, catalogo: catalogo.sat, data: filas.slice(desde, desde + limit).map(fila), next_cursor }, 200);
};
