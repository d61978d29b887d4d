// Type-level test of the SDK, checked by test/node/sdk-tipos.test.ts with tsc: each @ts-expect-error fails the
// build if the mistake below it ever compiles.
import type {
  AplicacionNueva,
  ComplementoPagoNuevo,
  Concepto,
  EventoWebhook,
  FacturaNueva,
  HexaFac,
  NotaCreditoNueva,
  Receptor,
} from '../../sdk/src/index';

const receptor: Receptor = { rfc: 'XAXX010101000', nombre: 'PUBLICO EN GENERAL', domicilio_fiscal: '06000', regimen_fiscal: '616', uso_cfdi: 'S01' };
const conceptos: Concepto[] = [
  { clave_prod_serv: '01010101', cantidad: '1', clave_unidad: 'H87', descripcion: 'x', valor_unitario: '100', objeto_imp: '02', impuestos: { traslados: [{ impuesto: '002', tipo_factor: 'Tasa', tasa_o_cuota: '0.160000' }] } },
];

export const conReceptor: FacturaNueva = { receptor, conceptos };
export const conCliente: FacturaNueva = { cliente_id: 'c1', conceptos };
// @ts-expect-error both receptor and cliente_id
export const ambos: FacturaNueva = { receptor, cliente_id: 'c1', conceptos };
// @ts-expect-error neither receptor nor cliente_id
export const ninguno: FacturaNueva = { conceptos };
// @ts-expect-error both, in a nota de crédito
export const notaAmbos: NotaCreditoNueva = { receptor, cliente_id: 'c1', conceptos, cfdi_relacionados: [] };
// @ts-expect-error neither, in a complemento de pago
export const pagoNinguno: ComplementoPagoNuevo = { pagos: [] };
export const pago: ComplementoPagoNuevo = { cliente_id: 'c1', pagos: [{ fecha_pago: '2026-11-25T10:00:00', forma_pago: '03', documentos: [{ uuid: 'u' }] }] };
// @ts-expect-error a clave outside its catalog
export const metodo: FacturaNueva = { cliente_id: 'c1', conceptos, metodo_pago: 'PUX' };

export async function narrowing(h: HexaFac): Promise<void> {
  const timbrada = await h.facturas.waitUntilTimbrada('f1');
  const uuid: string = timbrada.uuid;
  const status: 'timbrada' = timbrada.status;
  const cancelada = await h.facturas.waitUntilCancelada('f1');
  const motivo: string = cancelada.cancelacion.motivo;
  const detalle = await h.facturas.retrieve('f1');
  // @ts-expect-error retrieve does not know the factura is stamped
  const sinUuid: string = detalle.uuid;
  void [uuid, status, motivo, sinUuid];
}

export function evento(e: EventoWebhook): string {
  if (e.type === 'factura.timbrada') return e.data.id;
  // @ts-expect-error not an event type
  if (e.type === 'factura.inventada') return '';
  return e.type;
}

// A platform key's client: its applications' bodies and answers are the document's.
export async function plataforma(h: HexaFac) {
  const nueva: AplicacionNueva = { name: 'Sucursal', rfc: 'EKU9003173C9', razon_social: 'ESCUELA KEMPER URGATE', regimen_fiscal: '601', lugar_expedicion: '42501', series: { I: 'A' } };
  // @ts-expect-error the issuer's RFC is required
  const sinRfc: AplicacionNueva = { name: 'x', razon_social: 'X', regimen_fiscal: '601', lugar_expedicion: '42501' };
  // @ts-expect-error only the kinds I, E, P, N and T take a default serie
  const serieZ: AplicacionNueva = { ...nueva, series: { Z: 'A' } };
  const app = await h.platform.applications.create(nueva);
  const platformId: string = app.platform_id;
  const key = await h.platform.applications.keys.create(app.id, { name: 'pos', mode: 'test', scopes: ['facturas:write'] });
  const token: string = key.token;
  // @ts-expect-error a key is test or live
  await h.platform.applications.keys.create(app.id, { name: 'pos', mode: 'prod', scopes: ['facturas:write'] });
  for await (const a of h.platform.applications.list({ status: 'suspended' })) void a.csd?.no_certificado;
  const folio = await h.platform.applications.setFolio(app.id, 'A', { siguiente: 10 });
  void [sinRfc, serieZ, platformId, token, folio.siguiente.live];
}
