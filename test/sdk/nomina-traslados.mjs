// Runs inside the scratch project beside cliente.mjs, with the packed @hexafac/sdk: the kinds of comprobante after
// the factura (a recibo de nómina, a payroll of two, a traslado with Carta Porte) and the envío by email, with the
// signed webhooks of the new kinds. Prints one JSON line; test/sdk/sdk.e2e.test.ts checks it.
import { HexaFac } from '@hexafac/sdk';
import { receptorDeWebhooks } from './receptor.mjs';

const hexafac = new HexaFac(process.env.HEXAFAC_API_KEY, { baseUrl: process.env.HEXAFAC_BASE_URL });
const { factura, recibo, nomina, traslado } = JSON.parse(process.env.CUERPOS);
const espera = { timeoutMs: 90_000, intervalMs: 500 };

const receptor = await receptorDeWebhooks();
const { entregas } = receptor;
const hook = await hexafac.webhooks.create({
  url: receptor.url,
  events: ['recibo_nomina.timbrado', 'nomina.completada', 'traslado.timbrado', 'traslado.cancelado'],
});

// A recibo de nómina: checked, issued, stamped, found by the employee's CURP and period, its XML downloaded.
const validacion = await hexafac.recibosNomina.validar(recibo);
const reciboAceptado = await hexafac.recibosNomina.create(recibo);
const reciboTimbrado = await hexafac.recibosNomina.waitUntilTimbrada(reciboAceptado.id, espera);
const xmlRecibo = await hexafac.recibosNomina.downloadXml(reciboAceptado.id);
const listados = [];
for await (const r of hexafac.recibosNomina.list({ curp: recibo.receptor.curp, fecha_inicial_pago: recibo.fecha_inicial_pago, limit: 1 })) listados.push(r.id);

// A payroll of two, waited until none is pendiente.
const nominaAceptada = await hexafac.nominas.create(nomina);
const nominaCompleta = await hexafac.nominas.waitUntilCompleted(nominaAceptada.id, espera);
const nominasListadas = (await hexafac.nominas.list({ limit: 5 })).data.map((n) => n.id);

// A traslado with Carta Porte: stamped, its XML, then cancelled (a T needs no acceptance).
const trasladoAceptado = await hexafac.traslados.create(traslado);
const trasladoTimbrado = await hexafac.traslados.waitUntilTimbrada(trasladoAceptado.id, espera);
const xmlTraslado = await hexafac.traslados.downloadXml(trasladoAceptado.id);
const pdfTraslado = await hexafac.traslados.downloadPdf(trasladoAceptado.id);
await hexafac.traslados.cancel(trasladoAceptado.id, { motivo: '02' });
const trasladoCancelado = await hexafac.traslados.waitUntilCancelada(trasladoAceptado.id, espera);

// The Carta Porte catalogs the traslado's claves come from.
const configuraciones = [];
for await (const c of hexafac.catalogos.cartaPorte('config-autotransporte', 'T3S', { limit: 2 })) configuraciones.push(c.clave);

// A stamped factura emailed to two addresses; its envíos list it until the binding accepted it.
const { id: facturaId } = await hexafac.facturas.create(factura);
await hexafac.facturas.waitUntilTimbrada(facturaId, espera);
const envio = await hexafac.facturas.enviar(facturaId, { to: ['contabilidad@cliente.mx'], cc: ['compras@cliente.mx'] });
let envios = await hexafac.facturas.envios(facturaId);
for (let i = 0; i < 120 && envios.some((e) => e.status === 'pendiente'); i++) {
  await new Promise((ok) => setTimeout(ok, 250));
  envios = await hexafac.facturas.envios(facturaId);
}

// the six events of the new kinds (three recibos stamped, the payroll, the traslado stamped and cancelled), each verified and narrowed by its type
for (let i = 0; i < 120 && entregas.length < 6; i++) await new Promise((ok) => setTimeout(ok, 250));
const eventos = [];
for (const e of entregas) {
  const evento = await hexafac.webhooks.verifySignature(e.body, e.headers, hook.secret);
  eventos.push(evento.type === 'nomina.completada' ? { type: evento.type, id: evento.data.id, timbrada: evento.data.por_status.timbrada } : { type: evento.type, id: evento.data.id });
}
receptor.close();

console.log(
  JSON.stringify({
    validacion: validacion.valido,
    recibo: { id: reciboAceptado.id, status: reciboTimbrado.status, uuid: reciboTimbrado.uuid, neto: reciboTimbrado.nomina.neto, curp: reciboTimbrado.nomina.curp },
    xmlRecibo,
    listados,
    nomina: {
      id: nominaAceptada.id,
      aceptados: nominaAceptada.aceptados,
      completado_at: nominaCompleta.completado_at,
      por_status: nominaCompleta.por_status,
      recibos: nominaCompleta.recibos.map((r) => r.status),
      no_timbrados: nominaCompleta.no_timbrados,
    },
    nominasListadas,
    traslado: { id: trasladoAceptado.id, status: trasladoTimbrado.status, tipo: trasladoTimbrado.tipo, uuid: trasladoTimbrado.uuid, cancelado: trasladoCancelado.status },
    xmlTraslado,
    configuraciones,
    pdfTraslado: Buffer.from(pdfTraslado.subarray(0, 5)).toString('latin1'),
    envio,
    envios,
    eventos,
  }),
);
