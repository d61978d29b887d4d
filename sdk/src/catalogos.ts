import type { Transport } from './client.js';
import { List } from './pagination.js';
import type { components, paths } from './schema.js';
import type { ResponseOf } from './types.js';

type Schemas = components['schemas'];
export type ProductoServicio = Schemas['ProductoServicio'];
export type ClaveUnidad = Schemas['ClaveUnidad'];
export type CodigoPostal = Schemas['CodigoPostal'];
export type Catalogo = Schemas['Catalogo'];
export type NombreCatalogo = NonNullable<paths['/catalogos/{nombre}']['get']>['parameters']['path']['nombre'];
/** A clave of a Carta Porte catalog: `clave`, `descripcion` and the columns its catalog has (`clase_o_div`, …). */
export type ClaveCartaPorte = ResponseOf<'/catalogos/carta-porte/{nombre}', 'get', { data: Record<string, unknown>[] }> extends { data: (infer C)[] } ? C : never;
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

  /**
   * A Carta Porte 3.1 catalog ('material-peligroso', 'tipo-embalaje', 'config-autotransporte', 'subtipo-remolque',
   * 'tipo-permiso', 'figura-transporte', 'parte-transporte', 'clave-unidad-peso', …): with `q`, the claves that start
   * with it first, then the descripciones with each word; without it, the whole catalog. `for await` walks every page;
   * an unknown name is a HexaFacError 404 whose message lists the valid ones.
   */
  cartaPorte(nombre: string, q?: string, options: BusquedaOptions = {}): List<ClaveCartaPorte> {
    return new List(this.t, `/catalogos/carta-porte/${encodeURIComponent(nombre)}`, { q, limit: options.limit });
  }

  /** A small catalog whole: 'forma-pago', 'uso-cfdi', 'moneda', … */
  catalogo(nombre: NombreCatalogo): Promise<Catalogo> {
    return this.t.json({ method: 'GET', path: `/catalogos/${encodeURIComponent(nombre)}` });
  }
}
