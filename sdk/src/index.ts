import { Catalogos } from './catalogos.js';
import { Transport, type HexaFacOptions } from './client.js';
import { Exportaciones } from './exportaciones.js';
import { Lotes } from './lotes.js';
import { Nominas } from './nominas.js';
import { Plataforma } from './plataforma.js';
import { Recibos } from './recibos.js';
import { CancelacionesRecibidas, Cfdi, Clientes, ComplementosPago, Facturas, NotasCredito, RecibosNomina, Traslados, Webhooks } from './resources.js';

/**
 * The HexaFac API client. `new HexaFac('hfx_test_…', { baseUrl: 'http://127.0.0.1:8787' })`; with a platform key
 * (`hfx_plat_…`), `platform.applications` manages the platform's applications.
 */
export class HexaFac {
  readonly facturas: Facturas;
  readonly notasCredito: NotasCredito;
  readonly complementosPago: ComplementosPago;
  readonly recibosNomina: RecibosNomina;
  readonly nominas: Nominas;
  readonly traslados: Traslados;
  readonly clientes: Clientes;
  readonly webhooks: Webhooks;
  readonly cancelacionesRecibidas: CancelacionesRecibidas;
  readonly catalogos: Catalogos;
  readonly cfdi: Cfdi;
  readonly lotes: Lotes;
  readonly exportaciones: Exportaciones;
  readonly recibos: Recibos;
  readonly platform: Plataforma;
  readonly baseUrl: string;

  constructor(apiKey: string, options: HexaFacOptions) {
    const t = new Transport(apiKey, options);
    this.baseUrl = t.baseUrl;
    this.facturas = new Facturas(t);
    this.notasCredito = new NotasCredito(t);
    this.complementosPago = new ComplementosPago(t);
    this.recibosNomina = new RecibosNomina(t);
    this.nominas = new Nominas(t);
    this.traslados = new Traslados(t);
    this.clientes = new Clientes(t);
    this.webhooks = new Webhooks(t);
    this.cancelacionesRecibidas = new CancelacionesRecibidas(t);
    this.catalogos = new Catalogos(t);
    this.cfdi = new Cfdi(t);
    this.lotes = new Lotes(t);
    this.exportaciones = new Exportaciones(t);
    this.recibos = new Recibos(t);
    this.platform = new Plataforma(t);
  }
}

export default HexaFac;
export type { HexaFacOptions } from './client.js';
export { HexaFacError, WebhookVerificationError, type HexaFacErrorDetail } from './errors.js';
export { List, type Page } from './pagination.js';
export type { CreateOptions, WaitOptions } from './resources.js';
export { verifySignature, type VerifyOptions, type WebhookHeaders } from './signature.js';
export type * from './types.js';
export type { ItemLote, Lote, LoteNuevo, LoteResumen } from './lotes.js';
export type {
  ConfiguracionRecibos,
  ConfiguracionRecibosCambios,
  FacturaGlobal,
  FacturaGlobalNueva,
  FacturarRecibo,
  Recibo,
  ReciboFacturado,
  ReciboNuevo,
  RecibosListParams,
} from './recibos.js';
export type {
  AplicacionCambios,
  AplicacionesListParams,
  AplicacionNueva,
  AplicacionPlataforma,
  ApiKeyAplicacion,
  ApiKeyAplicacionCreada,
  ApiKeyNueva,
  ArchivosCsd,
  CsdAplicacion,
  FolioFijado,
  FolioSiguiente,
} from './plataforma.js';
export * as catalogos from './catalogos.js';
