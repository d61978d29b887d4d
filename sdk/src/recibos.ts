import type { Query, Transport } from './client.js';
import { List } from './pagination.js';
import type { CreateOptions } from './resources.js';
import type { BodyOf, PaginationParams, QueryOf, ResponseOf } from './types.js';

/** {conceptos (as in a factura), forma_pago (not 99), fecha?, moneda? (MXN only), folio?, external_id?}. */
export type ReciboNuevo = BodyOf<'/recibos', 'post'>;
/** A recibo: its clave and portal URL (null while the application has no autofactura_slug), amounts and status. */
export type Recibo = ResponseOf<'/recibos/{id}', 'get'>;
export type RecibosListParams = Omit<QueryOf<'/recibos', 'get'>, 'cursor'> & PaginationParams;
/** {receptor: {rfc, nombre, domicilio_fiscal, regimen_fiscal, uso_cfdi}, email?}. */
export type FacturarRecibo = BodyOf<'/recibos/{id}/facturar', 'post'>;
export type ReciboFacturado = ResponseOf<'/recibos/{id}/facturar', 'post'>;
export type ConfiguracionRecibos = ResponseOf<'/recibos/configuracion', 'get'>;
export type ConfiguracionRecibosCambios = BodyOf<'/recibos/configuracion', 'put'>;
/** {periodicidad, meses, año, fecha? (with 01–03), serie?}. */
export type FacturaGlobalNueva = BodyOf<'/recibos/factura-global', 'post'>;
export type FacturaGlobal = ResponseOf<'/recibos/factura-global', 'post'>;

const seg = encodeURIComponent;

class ConfiguracionDeRecibos {
  constructor(private readonly t: Transport) {}

  retrieve(): Promise<ConfiguracionRecibos> {
    return this.t.json({ method: 'GET', path: '/recibos/configuracion' });
  }

  /** Changes only the given fields; a slug another merchant has is a 409 `slug_en_uso`. */
  update(body: ConfiguracionRecibosCambios): Promise<ConfiguracionRecibos> {
    return this.t.json({ method: 'PUT', path: '/recibos/configuracion', body });
  }
}

export class Recibos {
  readonly configuracion: ConfiguracionDeRecibos;

  constructor(private readonly t: Transport) {
    this.configuracion = new ConfiguracionDeRecibos(t);
  }

  /** Records a ticket from the point of sale: 201 with its clave and portal URL. */
  create(body: ReciboNuevo, options: Omit<CreateOptions, 'simular'> = {}): Promise<Recibo> {
    return this.t.create('/recibos', body, options);
  }

  retrieve(id: string): Promise<Recibo> {
    return this.t.json({ method: 'GET', path: `/recibos/${seg(id)}` });
  }

  /** Every recibo, newest first, across pages: `for await (const r of hexafac.recibos.list({ status: 'vigente' }))`. */
  list(params: RecibosListParams = {}): List<Recibo> {
    return new List(this.t, '/recibos', params as Query);
  }

  /** Cancels a vigente recibo (the sale was undone); 409 once it is invoiced. */
  cancel(id: string): Promise<Recibo> {
    return this.t.json({ method: 'POST', path: `/recibos/${seg(id)}/cancelar`});
  }

  /** Invoices the recibo to its customer: 202, the CFDI `pendiente` (hexafac.facturas.waitUntilFinal follows it). */
  facturar(id: string, body: FacturarRecibo, options: CreateOptions = {}): Promise<ReciboFacturado> {
    return this.t.create(`/recibos/${seg(id)}/facturar`, body, options);
  }

  /** The URL of the recibo's QR image (to fetch with the API key); `qrPng`/`qrSvg` give the image itself. */
  qrUrl(id: string, formato: 'png' | 'svg' = 'png'): string {
    return this.t.url(`/recibos/${seg(id)}/qr.${formato}`);
  }

  /** The QR of the portal URL as PNG bytes (409 `sin_slug_autofactura` while there is no slug). */
  async qrPng(id: string): Promise<Uint8Array> {
    const res = await this.t.send({ method: 'GET', path: `/recibos/${seg(id)}/qr.png` }, 'image/png');
    return new Uint8Array(await res.arrayBuffer());
  }

  /** The QR of the portal URL as an SVG document. */
  async qrSvg(id: string): Promise<string> {
    return (await this.t.send({ method: 'GET', path: `/recibos/${seg(id)}/qr.svg` }, 'image/svg+xml')).text();
  }

  /** Issues the period's factura global of the recibos nobody invoiced: one CFDI per forma de pago (202). */
  facturaGlobal(body: FacturaGlobalNueva, options: Omit<CreateOptions, 'simular'> = {}): Promise<FacturaGlobal> {
    return this.t.create('/recibos/factura-global', body, options);
  }
}
