import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import PostalMime from 'postal-mime';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '../../db/client';
import { envios, facturas } from '../../db/schema';
import { api, createEmisor, createKey, expectError, facturaBase, insertarFactura, json, waitFor, type TestApp } from '../../../test/helpers';
import { facturaTimbrada } from '../../../test/comprobantes';

// POST /…/{id}/enviar and GET /…/{id}/envios of the three kinds, through the real Worker, queue and send_email
// binding: each test reads back the very message the binding accepted (miniflare's .eml, by Message-ID through
// the TEST_CORREO binding) and parses it with postal-mime.

const db = () => getDb(env);
/** The ids of a comprobante's envío rows (an earlier one may still be changing state as the queue delivers it). */
const idsDeEnvios = async (facturaId: string) => (await db().select({ id: envios.id }).from(envios).where(eq(envios.factura_id, facturaId))).map((e) => e.id);

/** Every copy (one per envelope recipient) of the message the binding accepted with this Message-ID. */
async function correosRecibidos(messageId: string) {
  const res = await env.TEST_CORREO.fetch(`http://correo/${encodeURIComponent(messageId)}`);
  const copias = (await res.json()) as string[];
  return copias.map((b64) => Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0)));
}

const bytes = async (res: Response) => new Uint8Array(await res.arrayBuffer());

/** POST …/enviar with a fresh key each time: the costosas class allows a key 5 a minute. */
async function enviar(app: TestApp, ruta: string, body: unknown, headers: Record<string, string> = {}, token?: string) {
  return api('POST', `${ruta}/enviar`, { token: token ?? (await createKey(app.id)), body, headers });
}

const envioDe = async (token: string, ruta: string, status = 'enviado') =>
  waitFor(async () => {
    const l = await json(await api('GET', `${ruta}/envios`, { token }));
    return l.data?.length && l.data.every((e: any) => e.status === status) ? l.data : null;
  }, `envíos de ${ruta} ${status}`);

let emisor: { app: TestApp; token: string };
let factura: any;

beforeAll(async () => {
  emisor = await createEmisor();
  factura = await facturaTimbrada(emisor.token, facturaBase());
});

describe('envíos por correo — happy', () => {
  it('POST /facturas/{id}/enviar answers 202 and the binding gets the XML of R2, the PDF and the Spanish message', async () => {
    const { app, token } = emisor;
    const ruta = `/facturas/${factura.id}`;
    const body = { to: ['contabilidad@cliente.mx', 'pagos@cliente.mx'], cc: ['compras@cliente.mx'] };
    const res = await enviar(app, ruta, body, { 'Idempotency-Key': 'envio-1' });
    expect(res.status, await res.clone().text()).toBe(202);
    expect(res.headers.get('RateLimit-Policy')).toBe('"costosas";q=5;w=60');
    expect(res.headers.get('Location')).toBe(`http://hexafac.test/api/hexafac/v1/facturas/${factura.id}/envios`);
    const e = await json(res);
    expect(e).toMatchObject({ ...body, automatico: false, status: 'pendiente', message_id: null, intentos: 0, error: null, enviado_at: null });
    const otra = await enviar(app, ruta, body, { 'Idempotency-Key': 'envio-1' });
    expect(otra.headers.get('Idempotent-Replayed')).toBe('true');
    expect((await json(otra)).id).toBe(e.id);

    const [enviado] = await envioDe(token, ruta);
    expect(enviado).toMatchObject({ id: e.id, status: 'enviado', intentos: 1, error: null, message_id: `<${e.id}@hexafac.mx>` });
    expect(enviado.enviado_at).toBeTruthy();
    expect((await json(await api('GET', ruta, { token }))).envios).toEqual([enviado]);

    // one copy per envelope recipient (to and cc), each the same message
    const copias = await correosRecibidos(enviado.message_id);
    expect(copias).toHaveLength(3);
    expect(new Set(copias.map((c) => new TextDecoder().decode(c))).size).toBe(1);
    const m = await PostalMime.parse(copias[0]!);
    expect(m.messageId).toBe(enviado.message_id);
    expect(m.from).toMatchObject({ name: 'ESCUELA KEMPER URGATE', address: 'facturas@hexafac.mx' });
    expect(m.to?.map((d) => d.address)).toEqual(body.to);
    expect(m.cc?.map((d) => d.address)).toEqual(body.cc);
    const folio = `${factura.serie}-${factura.folio}`;
    expect(factura.total).toBe('1160.00');
    expect(m.subject).toBe(`ESCUELA KEMPER URGATE: factura ${folio} por 1160.00 MXN`);

    const fila = (await db().select().from(facturas).where(eq(facturas.id, factura.id)).get())!;
    const r2 = await waitFor(() => env.CFDI_BUCKET.get(fila.xml_key!), 'XML en R2');
    const xmlR2 = new Uint8Array(await r2.arrayBuffer());
    const sello = /\sSello="([^"]+)"/.exec(new TextDecoder().decode(xmlR2))![1]!;
    const verificacion =
      `https://verificacfdi.facturaelectronica.sat.gob.mx/default.aspx?id=${factura.uuid}&re=EKU9003173C9` +
      `&rr=${factura.receptor.rfc}&tt=1160.0&fe=${sello.slice(-8)}`;
    for (const esperado of ['ESCUELA KEMPER URGATE', `factura ${folio}`, '1160.00 MXN', factura.uuid, verificacion]) expect(m.text).toContain(esperado);
    expect(m.text).toContain(`Hola, ${factura.receptor.nombre}:`);
    expect(m.html).toContain(`<a href="${verificacion.replace(/&/g, '&amp;')}">`);
    expect(m.html).toContain(`<strong>${folio}</strong>`);

    expect(m.attachments.map((a) => [a.filename, a.mimeType, a.disposition])).toEqual([
      [expect.stringMatching(/\.xml$/), 'application/xml', 'attachment'],
      [expect.stringMatching(/\.pdf$/), 'application/pdf', 'attachment'],
    ]);
    const [xml, pdf] = m.attachments.map((a) => new Uint8Array(a.content as ArrayBuffer));
    expect(xml).toEqual(xmlR2);
    // the PDF it attached is the one the API serves (rendered once, cached in R2)
    expect(pdf).toEqual(await bytes(await api('GET', `${ruta}/pdf`, { token })));
    expect(new TextDecoder().decode(pdf!.slice(0, 5))).toBe('%PDF-');
  });

  it('a cliente with an email gets the automatic envío once its factura is stamped', async () => {
    const { token } = emisor;
    const cliente = await json(
      await api('POST', '/clientes', {
        token,
        body: { rfc: 'URE180429TM6', nombre: 'UNIVERSIDAD ROBOTICA ESPAÑOLA', domicilio_fiscal: '86991', regimen_fiscal: '601', uso_cfdi: 'G03', email: 'cxp@robotica.mx' },
      }),
    );
    const { receptor: _, ...sinReceptor } = facturaBase();
    const f = await facturaTimbrada(token, { ...sinReceptor, cliente_id: cliente.id });
    const [e] = await envioDe(token, `/facturas/${f.id}`);
    expect(e).toMatchObject({ to: ['cxp@robotica.mx'], cc: [], automatico: true, status: 'enviado', intentos: 1 });
    const [copia, ...mas] = await correosRecibidos(e.message_id);
    expect(mas).toEqual([]);
    const m = await PostalMime.parse(copia!);
    expect(m.to?.map((d) => d.address)).toEqual(['cxp@robotica.mx']);
    expect(m.text).toContain('Hola, UNIVERSIDAD ROBOTICA ESPAÑOLA:');
    expect(m.attachments).toHaveLength(2);
  });

  it('GET /facturas/{id}/envios lists them oldest first; a comprobante never emailed has none', async () => {
    const { app, token } = emisor;
    const ruta = `/facturas/${factura.id}`;
    const antes = (await json(await api('GET', `${ruta}/envios`, { token }))).data.length;
    const a = await json(await enviar(app, ruta, { to: ['a@cliente.mx'] }));
    const b = await json(await enviar(app, ruta, { to: ['b@cliente.mx'] }));
    const lista = await envioDe(token, ruta);
    expect(lista.slice(antes).map((e: any) => [e.id, e.to])).toEqual([
      [a.id, ['a@cliente.mx']],
      [b.id, ['b@cliente.mx']],
    ]);
    const nuevo = await insertarFactura(app.id, { status: 'timbrada' });
    expect(await json(await api('GET', `/facturas/${nuevo}/envios`, { token }))).toEqual({ data: [] });
    expect((await json(await api('GET', `/facturas/${nuevo}`, { token }))).envios).toEqual([]);
  });
});

describe('envíos por correo — errors', () => {
  it('409 comprobante_no_enviable unless the CFDI is vigente, and nothing is written', async () => {
    const { app } = emisor;
    for (const status of ['pendiente', 'cancelada', 'rechazada'] as const) {
      const id = await insertarFactura(app.id, { status });
      const err = await expectError(await enviar(app, `/facturas/${id}`, { to: ['a@cliente.mx'] }), 409, 'comprobante_no_enviable');
      expect(err.message).toMatch(/solo se envía por correo un CFDI timbrado y vigente/);
      expect(await idsDeEnvios(id)).toEqual([]);
    }
  });

  it.each([
    ['no recipient', { to: [] }, 'to'],
    ['six recipients', { to: ['a@x.mx', 'b@x.mx', 'c@x.mx', 'd@x.mx', 'e@x.mx', 'f@x.mx'] }, 'to'],
    ['six in cc', { to: ['a@x.mx'], cc: ['b@x.mx', 'c@x.mx', 'd@x.mx', 'e@x.mx', 'f@x.mx', 'g@x.mx'] }, 'cc'],
    ['a display name', { to: ['Juan <juan@x.mx>'] }, 'to[0]'],
    ['a header injection', { to: ['a@x.mx\r\nBcc: todos@x.mx'] }, 'to[0]'],
    ['two addresses in one', { to: ['a@x.mx, b@x.mx'] }, 'to[0]'],
    ['no domain', { to: ['juan@'] }, 'to[0]'],
    ['a control character', { to: ['juan\u0000@x.mx'] }, 'to[0]'],
    ['a non-ASCII address', { to: ['josé@x.mx'] }, 'to[0]'],
    ['an empty label', { to: ['juan@x..mx'] }, 'to[0]'],
    ['a repeated address', { to: ['a@x.mx'], cc: ['A@x.mx'] }, 'cc[0]'],
    ['an unknown field', { to: ['a@x.mx'], bcc: ['b@x.mx'] }, 'bcc'],
    ['no to', { cc: ['a@x.mx'] }, 'to'],
  ])('422 for %s, at its path, and nothing is written', async (_, body, path) => {
    const { app } = emisor;
    const antes = await idsDeEnvios(factura.id);
    const err = await expectError(await enviar(app, `/facturas/${factura.id}`, body), 422, 'validation_error');
    expect(err.details.map((d) => d.path)).toContain(path);
    expect(await idsDeEnvios(factura.id)).toEqual(antes);
  });

  it('404 for an unknown or malformed id; the Idempotency-Key of another body is a 409', async () => {
    const { app } = emisor;
    await expectError(await enviar(app, '/facturas/019ab1c2-0000-7000-8000-000000000099', { to: ['a@x.mx'] }), 404, 'not_found');
    await expectError(await enviar(app, '/facturas/no-es-un-id', { to: ['a@x.mx'] }), 404, 'not_found');
    await expectError(await api('GET', '/facturas/019ab1c2-0000-7000-8000-000000000099/envios', { token: emisor.token }), 404, 'not_found');
    expect((await enviar(app, `/facturas/${factura.id}`, { to: ['a@x.mx'] }, { 'Idempotency-Key': 'envio-otro' })).status).toBe(202);
    await expectError(await enviar(app, `/facturas/${factura.id}`, { to: ['b@x.mx'] }, { 'Idempotency-Key': 'envio-otro' }), 409, 'idempotency_key_reused');
  });

  it('the notas-credito and complementos-pago paths read only their own kind', async () => {
    const { app, token } = emisor;
    await expectError(await enviar(app, `/notas-credito/${factura.id}`, { to: ['a@x.mx'] }), 404, 'not_found');
    await expectError(await enviar(app, `/complementos-pago/${factura.id}`, { to: ['a@x.mx'] }), 404, 'not_found');
    await expectError(await api('GET', `/notas-credito/${factura.id}/envios`, { token }), 404, 'not_found');
    await expectError(await api('GET', `/complementos-pago/${factura.id}/envios`, { token }), 404, 'not_found');
  });

  it('a key that spent its costosas quota gets 429 with Retry-After, and nothing is written', async () => {
    const { app } = emisor;
    const token = await createKey(app.id);
    const ruta = `/facturas/${factura.id}`;
    // 422s count too: the quota is spent before the body is read
    for (let i = 0; i < 5; i++) expect((await enviar(app, ruta, { to: [] }, {}, token)).status).toBe(422);
    const antes = await idsDeEnvios(factura.id);
    const res = await enviar(app, ruta, { to: ['a@x.mx'] }, {}, token);
    await expectError(res, 429, 'rate_limit_exceeded');
    expect(res.headers.get('Retry-After')).toBeTruthy();
    expect(await idsDeEnvios(factura.id)).toEqual(antes);
  });
});

describe('envíos por correo — security', () => {
  it('401 without a key, 403 without facturas:write (POST) or facturas:read (GET)', async () => {
    const { app } = emisor;
    const ruta = `/facturas/${factura.id}`;
    await expectError(await api('POST', `${ruta}/enviar`, { body: { to: ['a@x.mx'] } }), 401);
    await expectError(await api('GET', `${ruta}/envios`), 401);
    const lectura = await createKey(app.id, { scopes: ['facturas:read'] });
    await expectError(await enviar(app, ruta, { to: ['a@x.mx'] }, {}, lectura), 403, 'insufficient_scope');
    const otra = await createKey(app.id, { scopes: ['clientes:read'] });
    await expectError(await api('GET', `${ruta}/envios`, { token: otra }), 403, 'insufficient_scope');
  });

  it('another tenant or the other mode gets 404 for a comprobante, and sends nothing', async () => {
    const ruta = `/facturas/${factura.id}`;
    const antes = await idsDeEnvios(factura.id);
    const otro = await createEmisor();
    await expectError(await enviar(otro.app, ruta, { to: ['a@x.mx'] }), 404, 'not_found');
    await expectError(await api('GET', `${ruta}/envios`, { token: otro.token }), 404, 'not_found');
    const live = await createKey(emisor.app.id, { mode: 'live' });
    await expectError(await enviar(emisor.app, ruta, { to: ['a@x.mx'] }, {}, live), 404, 'not_found');
    await expectError(await api('GET', `${ruta}/envios`, { token: live }), 404, 'not_found');
    expect(await idsDeEnvios(factura.id)).toEqual(antes);
  });
});
