// Runs inside a scratch project where the packed @hexafac/sdk tarball is installed, as a user's code would.
// Prints one JSON line with what happened; test/sdk/sdk.e2e.test.ts checks it.
import { HexaFac, HexaFacError } from '@hexafac/sdk';
import { receptorDeWebhooks } from './receptor.mjs';

const hexafac = new HexaFac(process.env.HEXAFAC_API_KEY, { baseUrl: process.env.HEXAFAC_BASE_URL });
const factura = JSON.parse(process.env.FACTURA);

const receptor = await receptorDeWebhooks();
const { entregas } = receptor;
const hook = await hexafac.webhooks.create({ url: receptor.url, events: ['factura.timbrada'] });
const idempotencyKey = `e2e-${Date.now()}`;
const aceptada = await hexafac.facturas.create(factura, { idempotencyKey });
const repetida = await hexafac.facturas.create(factura, { idempotencyKey });
const timbrada = await hexafac.facturas.waitUntilTimbrada(aceptada.id, { timeoutMs: 90_000, intervalMs: 500 });
const xml = await hexafac.facturas.downloadXml(timbrada.id);
const pdf = await hexafac.facturas.downloadPdf(timbrada.id);

for (let i = 0; i < 120 && entregas.length === 0; i++) await new Promise((ok) => setTimeout(ok, 250));
const entrega = entregas[0];
const evento = entrega ? await hexafac.webhooks.verifySignature(entrega.body, entrega.headers, hook.secret) : null;
const alterada = entrega
  ? await hexafac.webhooks.verifySignature(Buffer.concat([entrega.body, Buffer.from(' ')]), entrega.headers, hook.secret).then(
      () => 'aceptada',
      (e) => e.code,
    )
  : null;

const listadas = [];
for await (const f of hexafac.facturas.list({ status: 'timbrada', limit: 1 })) {
  listadas.push(f.id);
  if (listadas.length === 3) break;
}
const error = await hexafac.clientes.retrieve('019ab1c2-0000-7000-8000-00000000dead').catch((e) => ({
  esHexaFacError: e instanceof HexaFacError,
  status: e.status,
  code: e.code,
  requestId: e.requestId,
}));

const estadoSat = await hexafac.facturas.estadoSat(timbrada.id);
// The stamped XML as a received CFDI: as text (JSON) and as the file's bytes (application/xml), then one that is not XML.
const comoTexto = await hexafac.cfdi.verificar(xml);
const comoBytes = await hexafac.cfdi.verificar(new TextEncoder().encode(xml));
const noXml = await hexafac.cfdi.verificar('esto no es XML').catch((e) => ({ status: e.status, code: e.code, detalle: e.details?.[0]?.code }));
const verificacion = {
  comoTexto: { valido: comoTexto.valido, uuid: comoTexto.timbre.uuid, sello_sat: comoTexto.timbre.sello_sat },
  mismaRespuesta: JSON.stringify(comoBytes) === JSON.stringify(comoTexto),
  noXml,
};
// The sandbox's failure triggers: the stamp whose answer got lost comes back from the same PAC, once; a rejection
// carries the SAT code asked for.
const incierta = await hexafac.facturas.create(factura, { simular: 'timeout-tras-timbrar' });
const recuperada = await hexafac.facturas.waitUntilTimbrada(incierta.id, { timeoutMs: 90_000, intervalMs: 500 });
const rechazo = await hexafac.facturas
  .create(factura, { simular: 'rechazo=CFDI40108' })
  .then((a) => hexafac.facturas.waitUntilTimbrada(a.id, { timeoutMs: 90_000, intervalMs: 500 }))
  .catch((e) => ({ code: e.code, detalles: e.details?.map((d) => d.code) }));
const sustituta = await hexafac.facturas.sustituir(timbrada.id, factura);
const sustitutaTimbrada = await hexafac.facturas.waitUntilTimbrada(sustituta.id, { timeoutMs: 90_000, intervalMs: 500 });
// The replaced original ends cancelled with motivo 01, its acuse downloadable.
const cancelada = await hexafac.facturas.waitUntilCancelada(timbrada.id, { timeoutMs: 90_000, intervalMs: 500 });
const acuse = await hexafac.facturas.downloadAcuse(timbrada.id);

receptor.close();
console.log(
  JSON.stringify({
    aceptada,
    repetida,
    timbrada: { id: timbrada.id, status: timbrada.status, uuid: timbrada.uuid },
    xml,
    pdfInicio: Buffer.from(pdf.subarray(0, 5)).toString('latin1'),
    pdfBytes: pdf.length,
    entregas: entregas.length,
    evento,
    alterada,
    listadas,
    error,
    estadoSat,
    verificacion,
    recuperada: { status: recuperada.status, pac: recuperada.pac, uuid: recuperada.uuid },
    rechazo,
    sustituta: { status: sustitutaTimbrada.status, sustituye_a: sustitutaTimbrada.sustituye_a },
    cancelada: { status: cancelada.status, motivo: cancelada.cancelacion.motivo, folio_sustitucion: cancelada.cancelacion.folio_sustitucion },
    sustitutaUuid: sustitutaTimbrada.uuid,
    acuse,
  }),
);
