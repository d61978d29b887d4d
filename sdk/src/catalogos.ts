import type { Transport } from './client.js';
import type { components, paths } from './schema.js';

type Schemas = components['schemas'];
export type ProductoServicio = Schemas['ProductoServicio'];
export type ClaveUnidad = Schemas['ClaveUnidad'];
export type CodigoPostal = Schemas['CodigoPostal'];
export type Catalogo = Schemas['Catalogo'];
export type NombreCatalogo = NonNullable<paths['/catalogos/{nombre}']['get']>['parameters']['path']['nombre'];
export * from './catalogos.generated.js';

export interface BusquedaOptions {
  /** Results at most (1–50, default 10). */
  limit?: number;
}

/** The SAT catalogs: type-ahead search of the two large ones, a CP's data, the small ones whole. */
export class Catalogos {
  constructor(private readonly t: Transport) {}

  /** c_ClaveProdServ by descripción or clave, best first. */
  async productosServicios(q: string, options: BusquedaOptions = {}): Promise<ProductoServicio[]> {
    const r = await this.t.json<{ data: ProductoServicio[] }>({ method: 'GET', path: '/catalogos/productos-servicios', query: { q, limit: options.limit } });
    return r.data;
  }

  /** c_ClaveUnidad by clave, nombre or símbolo, best first. */
  async clavesUnidad(q: string, options: BusquedaOptions = {}): Promise<ClaveUnidad[]> {
    const r = await this.t.json<{ data: ClaveUnidad[] }>({ method: 'GET', path: '/catalogos/claves-unidad', query: { q, limit: options.limit } });
    return r.data;
  }

  /** Estado, municipio, localidad, time zone and franja fronteriza of a CP; HexaFacError 404 when unknown. */
  codigoPostal(cp: string): Promise<CodigoPostal> {
    return this.t.json({ method: 'GET', path: `/catalogos/codigos-postales/${encodeURIComponent(cp)}` });
  }

  /** A small catalog whole: 'forma-pago', 'uso-cfdi', 'moneda', … */
  catalogo(nombre: NombreCatalogo): Promise<Catalogo> {
    return this.t.json({ method: 'GET', path: `/catalogos/${encodeURIComponent(nombre)}` });
  }
}
