// Type-level test of the SDK, checked by test/node/sdk-tipos.test.ts with tsc: each @ts-expect-error fails the
// build if the mistake below it ever compiles.
import type {
  AplicacionNueva,
  ComplementoPagoNuevo,
  Concepto,
  EventoWebhook,
  FacturaNueva,
  HexaFac,
  NominaNueva,
  NotaCreditoNueva,
  Receptor,
  ReciboNominaNuevo,
  TrasladoNuevo,
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
  if (e.type === 'recibo_nomina.timbrado' || e.type === 'traslado.cancelado') return e.data.tipo;
  // the payroll's event carries its counts and period, not a comprobante
  if (e.type === 'nomina.completada') return `${e.data.periodo.fecha_inicial_pago} ${e.data.por_status.timbrada}`;
  // @ts-expect-error nómina events are masculine: recibo_nomina.timbrado
  if (e.type === 'recibo_nomina.timbrada') return '';
  return e.type;
}

const trabajador: ReciboNominaNuevo['receptor'] = { rfc: 'XOJI740919U48', nombre: 'INGRID XODAR JIMENEZ', domicilio_fiscal: '42501', curp: 'XOJI740919MDFDMN05', tipo_contrato: '01', tipo_regimen: '02', num_empleado: '0001', periodicidad_pago: '04', clave_ent_fed: 'HID' };
const periodo = { tipo_nomina: 'O', fecha_pago: '2026-11-15', fecha_inicial_pago: '2026-11-01', fecha_final_pago: '2026-11-15' } as const;
const percepciones = [{ tipo_percepcion: '001', clave: 'SUELDO', concepto: 'Sueldo', importe_gravado: '7500.00', importe_exento: '0.00' }];
export const recibo: ReciboNominaNuevo = { ...periodo, num_dias_pagados: '15', receptor: trabajador, percepciones };
// @ts-expect-error a recibo de nómina is to the employee inline: no cliente_id
export const reciboCliente: ReciboNominaNuevo = { ...recibo, cliente_id: 'c1' };
// @ts-expect-error the worker's régimen is a c_RegimenFiscal clave
export const reciboRegimen: ReciboNominaNuevo = { ...recibo, receptor: { ...trabajador, regimen_fiscal: '999' } };
// a payroll's recibos take the period from it, and a null drops the payroll's registro patronal (an asimilado)
export const nomina: NominaNueva = { periodo, emisor: { registro_patronal: 'B5510768108' }, recibos: [{ num_dias_pagados: '15', receptor: trabajador, percepciones, emisor: { registro_patronal: null } }] };
// @ts-expect-error every recibo still needs its employee
export const nominaSinReceptor: NominaNueva = { periodo, recibos: [{ num_dias_pagados: '15', percepciones }] };
// @ts-expect-error a traslado's carta_porte is typed to its fields
export const trasladoMal: TrasladoNuevo = { receptor, conceptos, carta_porte: { ubicaciones: 'Monterrey' } };

export async function nuevosTipos(h: HexaFac): Promise<void> {
  const r = await h.recibosNomina.waitUntilTimbrada('r1');
  const neto: string = r.nomina.neto;
  const uuid: string = r.uuid;
  for await (const x of h.recibosNomina.list({ curp: 'XOJI740919MDFDMN05', tipo_nomina: 'E' })) void x.nomina.num_empleado;
  // @ts-expect-error tipo_nomina is O or E
  void h.recibosNomina.list({ tipo_nomina: 'X' });
  const n = await h.nominas.waitUntilCompleted('n1');
  const completado: string = n.completado_at;
  for (const item of n.recibos) if (item.status === 'rechazado') void item.error.details[0]?.path;
  for await (const resumen of h.nominas.list()) void resumen.completado_at;
  const t = await h.traslados.waitUntilCancelada('t1');
  const motivo: string = t.cancelacion.motivo;
  const envio = await h.facturas.enviar('f1', { to: ['contabilidad@cliente.mx'] });
  const estado: 'pendiente' | 'enviado' | 'error' = envio.status;
  const [primero] = await h.complementosPago.envios('p1');
  // @ts-expect-error to is a list of addresses
  await h.notasCredito.enviar('n1', { to: 'contabilidad@cliente.mx' });
  // @ts-expect-error recibos de nómina are emailed through facturas.enviar (there is no route of their own)
  await h.recibosNomina.enviar('r1', { to: ['a@b.mx'] });
  void [neto, uuid, completado, motivo, estado, primero?.message_id];
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
