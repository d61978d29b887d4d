import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HexaFac, HexaFacError, verifySignature, WebhookVerificationError } from '../../sdk/src/index';
import { encabezadosFirmados, generarSecreto } from '../../src/webhooks/signature';

// The SDK against a scripted local HTTP server: what it sends, how it retries, how it maps errors and pages.

interface Recibida {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** The body's exact bytes (body is their UTF-8 reading). */
  bytes: Buffer;
}
type Respuesta = (req: Recibida, res: ServerResponse) => void;

let server: Server;
let baseUrl: string;
let guion: Respuesta[] = [];
let recibidas: Recibida[] = [];

const responder =
  (status: number, body?: unknown, headers: Record<string, string> = {}): Respuesta =>
  (_req, res) => {
    const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json', ...headers });
    res.end(text);
  };
const pagina = (ids: string[], next: string | null) => responder(200, { data: ids.map((id) => ({ id })), next_cursor: next });
const cortar: Respuesta = (_req, res) => res.socket?.destroy();
const errorApi = (status: number, code: string, details: unknown[] = []) =>
  responder(status, { error: { code, message: `mensaje ${code}`, details, request_id: `req_${code}` } });

beforeAll(async () => {
  server = createServer((req, res) => {
    const partes: Buffer[] = [];
    req.on('data', (c: Buffer) => partes.push(c));
    req.on('end', () => {
      const bytes = Buffer.concat(partes);
      const r = { method: req.method!, url: req.url!, headers: req.headers, body: bytes.toString(), bytes };
      recibidas.push(r);
      (guion.shift() ?? responder(500, { error: { code: 'sin_guion', message: 'sin guion', details: [], request_id: 'x' } }))(r, res);
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));
beforeEach(() => {
  guion = [];
  recibidas = [];
});

const cliente = (o: { maxRetries?: number; timeoutMs?: number } = {}) => new HexaFac('hfx_test_clave', { baseUrl, ...o });
const aceptada = { id: '019ab1c2-0000-7000-8000-000000000001', status: 'pendiente', links: { self: '/x' } };
const facturaMinima = { receptor: { rfc: 'XAXX010101000' } } as never;

describe('requests', () => {
  it('sends the key, JSON and the API path under an origin-only baseUrl', async () => {
    guion = [responder(202, aceptada)];
    const r = await cliente().facturas.create(facturaMinima);
    expect(r).toEqual(aceptada);
    const [req] = recibidas;
    expect(req!.method).toBe('POST');
    expect(req!.url).toBe('/api/hexafac/v1/facturas');
    expect(req!.headers.authorization).toBe('Bearer hfx_test_clave');
    expect(req!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req!.body)).toEqual(facturaMinima);
    expect(req!.headers['idempotency-key']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('drafts: created with borrador true, patched by merge patch, sent to stamp with a key, discarded', async () => {
    const borrador = { ...aceptada, status: 'borrador', folio: null };
    guion = [responder(201, borrador), responder(200, borrador), responder(202, aceptada), responder(204), responder(201, borrador)];
    const h = cliente();
    expect(await h.facturas.borradores.create(facturaMinima)).toEqual(borrador);
    await h.facturas.borradores.update(borrador.id, { forma_pago: '01', condiciones_de_pago: null } as never);
    expect(await h.facturas.borradores.timbrar(borrador.id, { idempotencyKey: 'timbrar-1' })).toEqual(aceptada);
    await h.facturas.borradores.descartar(borrador.id);
    await h.notasCredito.borradores.create(facturaMinima);
    const [crear, parche, timbrar, borrar, nota] = recibidas;
    expect(JSON.parse(crear!.body)).toEqual({ ...(facturaMinima as object), borrador: true });
    expect([parche!.method, parche!.url, JSON.parse(parche!.body)]).toEqual(['PATCH', `/api/hexafac/v1/facturas/${borrador.id}`, { forma_pago: '01', condiciones_de_pago: null }]);
    expect([timbrar!.method, timbrar!.url, timbrar!.headers['idempotency-key'], timbrar!.body]).toEqual(['POST', `/api/hexafac/v1/facturas/${borrador.id}/timbrar`, 'timbrar-1', '']);
    expect([borrar!.method, borrar!.url]).toEqual(['DELETE', `/api/hexafac/v1/facturas/${borrador.id}`]);
    expect([nota!.url, JSON.parse(nota!.body).borrador]).toEqual(['/api/hexafac/v1/notas-credito', true]);
  });

  it('downloads the XML as text and the PDF as bytes', async () => {
    guion = [responder(200, '<cfdi:Comprobante/>'), (_q, res) => res.writeHead(200, { 'content-type': 'application/pdf' }).end(Buffer.from('%PDF-1.7'))];
    const h = cliente();
    expect(await h.facturas.downloadXml('F/1')).toBe('<cfdi:Comprobante/>');
    expect(new TextDecoder().decode(await h.facturas.downloadPdf('abc'))).toBe('%PDF-1.7');
    expect(recibidas.map((r) => [r.url, r.headers.accept])).toEqual([
      ['/api/hexafac/v1/facturas/F%2F1/xml', 'application/xml'],
      ['/api/hexafac/v1/facturas/abc/pdf', 'application/pdf'],
    ]);
  });
});

describe('cfdi.verificar', () => {
  const verificacion = { valido: true, sello: { valido: true }, timbre: { presente: true, sello_sat: 'desconocido' } };

  it('sends bytes as application/xml exactly (an ISO-8859-1 file stays so), text as JSON {xml}', async () => {
    guion = [responder(200, verificacion), responder(200, verificacion)];
    const h = cliente();
    const latin1 = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><a>Caf\u00e9</a>', 'latin1');
    expect(await h.cfdi.verificar(new Uint8Array(latin1))).toEqual(verificacion);
    await h.cfdi.verificar('<a>Café</a>');
    const [bytes, texto] = recibidas;
    expect(bytes).toMatchObject({ method: 'POST', url: '/api/hexafac/v1/cfdi/verificar' });
    expect(bytes!.headers['content-type']).toBe('application/xml');
    expect(bytes!.bytes.equals(latin1)).toBe(true);
    expect(texto!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(texto!.body)).toEqual({ xml: '<a>Café</a>' });
    expect(recibidas.every((q) => q.headers['idempotency-key'] === undefined)).toBe(true);
  });

  it('a Buffer is sent as its bytes too', async () => {
    guion = [responder(200, verificacion)];
    await cliente().cfdi.verificar(Buffer.from('<a/>'));
    expect(recibidas[0]!.body).toBe('<a/>');
  });

  it('changes nothing, so a 5xx is retried with the same bytes; a 422 is a HexaFacError with its details', async () => {
    guion = [errorApi(503, 'unavailable'), responder(200, verificacion)];
    await cliente().cfdi.verificar(new TextEncoder().encode('<a/>'));
    expect(recibidas.map((q) => q.body)).toEqual(['<a/>', '<a/>']);
    guion = [errorApi(422, 'xml_mal_formado', [{ path: '/', message: 'línea 1, columna 1: …', code: 'HFX_XML_MAL_FORMADO' }])];
    await expect(cliente().cfdi.verificar('no es XML')).rejects.toMatchObject({
      status: 422,
      code: 'xml_mal_formado',
      details: [{ code: 'HFX_XML_MAL_FORMADO' }],
    });
  });
});

describe('retries', () => {
  it('a create retried after 503 and a dropped connection reuses the same generated Idempotency-Key', async () => {
    guion = [errorApi(503, 'unavailable'), cortar, responder(202, aceptada)];
    const r = await cliente({ maxRetries: 3 }).facturas.create(facturaMinima);
    expect(r.id).toBe(aceptada.id);
    expect(recibidas).toHaveLength(3);
    const keys = new Set(recibidas.map((q) => q.headers['idempotency-key']));
    expect(keys.size).toBe(1);
    expect([...keys][0]).toBeTruthy();
  });

  it('keeps the caller’s Idempotency-Key on every attempt; each new create gets its own', async () => {
    guion = [errorApi(500, 'internal_error'), responder(202, aceptada), responder(202, aceptada)];
    const h = cliente();
    await h.notasCredito.create({} as never, { idempotencyKey: 'pedido-42' });
    await h.complementosPago.create({} as never);
    expect(recibidas.map((q) => [q.url, q.headers['idempotency-key']])).toEqual([
      ['/api/hexafac/v1/notas-credito', 'pedido-42'],
      ['/api/hexafac/v1/notas-credito', 'pedido-42'],
      ['/api/hexafac/v1/complementos-pago', expect.not.stringMatching(/^pedido-42$/)],
    ]);
  });

  it('honours Retry-After on 429', async () => {
    const limite = { error: { code: 'rate_limited', message: 'Demasiadas solicitudes.', details: [], request_id: 'r' } };
    guion = [responder(429, limite, { 'retry-after': '1' }), responder(200, { data: [], next_cursor: null })];
    const t0 = Date.now();
    await cliente().clientes.list();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    expect(recibidas).toHaveLength(2);
  });

  it('stops after maxRetries and throws the last error', async () => {
    guion = [errorApi(502, 'bad_gateway'), errorApi(502, 'bad_gateway'), errorApi(500, 'internal_error')];
    const err = await cliente({ maxRetries: 2 }).facturas.retrieve('x').catch((e) => e);
    expect(err).toBeInstanceOf(HexaFacError);
    expect(err).toMatchObject({ status: 500, code: 'internal_error', requestId: 'req_internal_error' });
    expect(recibidas).toHaveLength(3);
  });

  it('does not repeat a POST without Idempotency-Key after a 5xx (it may have been carried out)', async () => {
    guion = [errorApi(500, 'internal_error'), responder(201, {})];
    const err = await cliente().webhooks.create({ url: 'https://x.mx/h', events: ['*'] } as never).catch((e) => e);
    expect(err).toMatchObject({ status: 500, code: 'internal_error' });
    expect(recibidas).toHaveLength(1);
    expect(recibidas[0]!.headers['idempotency-key']).toBeUndefined();
  });

  it('does not retry 4xx other than 429', async () => {
    guion = [errorApi(404, 'not_found'), responder(200, {})];
    await expect(cliente().clientes.retrieve('x')).rejects.toMatchObject({ status: 404, code: 'not_found' });
    expect(recibidas).toHaveLength(1);
  });

  it('a timeout is a HexaFacError with status 0', async () => {
    guion = [(_q, res) => setTimeout(() => responder(200, {})(_q, res), 1000)];
    const err = await cliente({ maxRetries: 0, timeoutMs: 100 }).facturas.retrieve('x').catch((e) => e);
    expect(err).toMatchObject({ name: 'HexaFacError', status: 0, code: 'timeout' });
  });
});

describe('errors', () => {
  it('a refused connection is connection_error, its message naming the cause under fetch failed', async () => {
    const cerrado = createServer();
    await new Promise<void>((ok) => cerrado.listen(0, '127.0.0.1', ok));
    const { port } = cerrado.address() as AddressInfo;
    await new Promise((ok) => cerrado.close(ok));
    const err = await new HexaFac('hfx_test_x', { baseUrl: `http://127.0.0.1:${port}`, maxRetries: 0 }).facturas.retrieve('x').catch((e) => e);
    expect(err).toMatchObject({ name: 'HexaFacError', status: 0, code: 'connection_error' });
    expect(err.message).toContain(`ECONNREFUSED 127.0.0.1:${port}`);
  });

  it('the codes tell a PAC rejection from a server error', async () => {
    guion = [errorApi(422, 'validation_error', [{ path: 'conceptos[0].objeto_imp', message: 'x', code: 'CFDI40162' }]), errorApi(500, 'internal_error')];
    const rechazo = await cliente({ maxRetries: 0 }).facturas.create({ cliente_id: 'c1', conceptos: [] }).catch((e) => e);
    const servidor = await cliente({ maxRetries: 0 }).facturas.retrieve('x').catch((e) => e);
    expect([rechazo.status, rechazo.code, rechazo.details[0].code]).toEqual([422, 'validation_error', 'CFDI40162']);
    expect([servidor.status, servidor.code]).toEqual([500, 'internal_error']);
  });

  it('maps the API error shape: status, code, message, details, request id', async () => {
    guion = [errorApi(422, 'validation_error', [{ path: 'receptor.rfc', message: 'RFC inválido.', code: 'CFDI40145' }])];
    const err = (await cliente().facturas.create(facturaMinima).catch((e) => e)) as HexaFacError;
    expect(err).toBeInstanceOf(HexaFacError);
    expect(err).toBeInstanceOf(Error);
    expect({ ...err, message: err.message }).toMatchObject({
      status: 422,
      code: 'validation_error',
      message: 'mensaje validation_error',
      details: [{ path: 'receptor.rfc', message: 'RFC inválido.', code: 'CFDI40145' }],
      requestId: 'req_validation_error',
    });
  });

  it('maps a non-JSON error (a proxy’s) with the X-Request-Id header', async () => {
    guion = [responder(400, 'Bad Request', { 'x-request-id': 'req_proxy' })];
    await expect(cliente().facturas.retrieve('x')).rejects.toMatchObject({ status: 400, code: 'http_400', message: 'Bad Request', requestId: 'req_proxy', details: [] });
  });
});

describe('pagination', () => {

  it('for await walks every page, passing filters and the cursor along', async () => {
    guion = [pagina(['5', '4'], 'c1'), pagina(['3', '2'], 'c2'), pagina(['1'], null)];
    const ids: string[] = [];
    for await (const f of cliente().facturas.list({ status: 'timbrada', limit: 2 })) ids.push(f.id);
    expect(ids).toEqual(['5', '4', '3', '2', '1']);
    expect(recibidas.map((r) => r.url)).toEqual([
      '/api/hexafac/v1/facturas?status=timbrada&limit=2',
      '/api/hexafac/v1/facturas?status=timbrada&limit=2&cursor=c1',
      '/api/hexafac/v1/facturas?status=timbrada&limit=2&cursor=c2',
    ]);
  });

  it('await gives the first page only; breaking out of the loop stops fetching', async () => {
    guion = [pagina(['b', 'a'], 'c1'), pagina(['z'], 'c9')];
    const page = await cliente().webhooks.deliveries('w1', { limit: 2 });
    expect(page).toEqual({ data: [{ id: 'b' }, { id: 'a' }], next_cursor: 'c1' });
    for await (const e of cliente().clientes.list()) {
      expect(e.id).toBe('z');
      break;
    }
    expect(recibidas.map((r) => r.url)).toEqual(['/api/hexafac/v1/webhooks/w1/entregas?limit=2', '/api/hexafac/v1/clientes']);
  });
});

describe('cancelación and the other tipos', () => {
  const factura = (status: string, errores: unknown[] = []) => responder(200, { id: 'f1', status, errores });

  it('waitUntilCancelada resolves on cancelada and rejects on cancelacion_rechazada', async () => {
    guion = [factura('cancelacion_pendiente'), factura('cancelada')];
    expect((await cliente().facturas.waitUntilCancelada('f1', { intervalMs: 10 })).status).toBe('cancelada');
    guion = [factura('cancelacion_pendiente'), factura('cancelacion_rechazada')];
    await expect(cliente().facturas.waitUntilCancelada('f1', { intervalMs: 10 })).rejects.toMatchObject({ status: 0, code: 'factura_cancelacion_rechazada' });
  });

  it('downloadAcuse, notasCredito.retrieve and complementosPago.retrieve read their routes', async () => {
    guion = [responder(200, '<Acuse/>'), responder(200, { id: 'n1' }), responder(200, { id: 'p1' })];
    const h = cliente();
    expect(await h.facturas.downloadAcuse('f1')).toBe('<Acuse/>');
    expect((await h.notasCredito.retrieve('n1')).id).toBe('n1');
    expect((await h.complementosPago.retrieve('p1')).id).toBe('p1');
    expect(recibidas.map((r) => [r.url, r.headers.accept])).toEqual([
      ['/api/hexafac/v1/facturas/f1/acuse', 'application/xml'],
      ['/api/hexafac/v1/notas-credito/n1', 'application/json'],
      ['/api/hexafac/v1/complementos-pago/p1', 'application/json'],
    ]);
  });
});

describe('envíos, recibos de nómina, nóminas and traslados', () => {
  const envio = { id: 'e1', to: ['a@b.mx'], cc: [], automatico: false, status: 'pendiente', message_id: null, intentos: 0, error: null };

  it('enviar posts {to, cc} with an Idempotency-Key on each emailed kind’s path; envios gives the list', async () => {
    guion = [responder(202, envio), responder(202, envio), responder(202, envio), responder(200, { data: [envio] }), responder(200, { data: [] }), responder(200, { data: [] })];
    const h = cliente();
    const cuerpo = { to: ['a@b.mx'], cc: ['c@b.mx'] };
    expect(await h.facturas.enviar('f/1', cuerpo, { idempotencyKey: 'correo-1' })).toEqual(envio);
    await h.notasCredito.enviar('n1', cuerpo);
    await h.complementosPago.enviar('p1', { to: ['a@b.mx'] });
    expect(await h.facturas.envios('f/1')).toEqual([envio]);
    expect(await h.notasCredito.envios('n1')).toEqual([]);
    await h.complementosPago.envios('p1');
    expect(recibidas.map((r) => [r.method, r.url])).toEqual([
      ['POST', '/api/hexafac/v1/facturas/f%2F1/enviar'],
      ['POST', '/api/hexafac/v1/notas-credito/n1/enviar'],
      ['POST', '/api/hexafac/v1/complementos-pago/p1/enviar'],
      ['GET', '/api/hexafac/v1/facturas/f%2F1/envios'],
      ['GET', '/api/hexafac/v1/notas-credito/n1/envios'],
      ['GET', '/api/hexafac/v1/complementos-pago/p1/envios'],
    ]);
    expect(JSON.parse(recibidas[0]!.body)).toEqual(cuerpo);
    expect(recibidas[0]!.headers['idempotency-key']).toBe('correo-1');
    expect(recibidas[1]!.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('recibosNomina and traslados: create, validar, filtered list, retrieve, files, cancel and the waits on their own paths', async () => {
    const recibo = (status: string) => responder(200, { id: 'r1', status, errores: [] });
    guion = [
      responder(202, aceptada),
      responder(200, { valido: true }),
      pagina(['r1'], null),
      recibo('pendiente'),
      recibo('timbrada'),
      responder(200, '<?xml version="1.0"?>'),
      responder(202, aceptada),
      responder(202, { id: 't1', status: 'cancelacion_pendiente' }),
      responder(200, { id: 't1', status: 'rechazada', errores: [{ code: 'CP101', message: 'x' }] }),
      (_q, res) => res.writeHead(200, { 'content-type': 'application/pdf' }).end(Buffer.from('%PDF-1.7')),
    ];
    const h = cliente();
    await h.recibosNomina.create(facturaMinima, { simular: 'timeout' });
    await h.recibosNomina.validar(facturaMinima);
    const ids = [];
    for await (const r of h.recibosNomina.list({ curp: 'XOJI740919MDFDMN05', tipo_nomina: 'O', periodo_desde: '2026-11-01', limit: 5 })) ids.push(r.id);
    expect(ids).toEqual(['r1']);
    expect((await h.recibosNomina.waitUntilTimbrada('r1', { intervalMs: 10 })).status).toBe('timbrada');
    expect(await h.recibosNomina.downloadXml('r1')).toMatch(/^<\?xml/);
    await h.traslados.create(facturaMinima);
    await h.traslados.cancel('t1', { motivo: '02' });
    await expect(h.traslados.waitUntilTimbrada('t1', { intervalMs: 10 })).rejects.toMatchObject({ code: 'factura_rechazada', message: 'El traslado t1 terminó en estado rechazada.', details: [{ code: 'CP101' }] });
    expect(new TextDecoder().decode(await h.traslados.downloadPdf('t1'))).toBe('%PDF-1.7');
    expect(recibidas.map((r) => [r.method, r.url])).toEqual([
      ['POST', '/api/hexafac/v1/recibos-nomina'],
      ['POST', '/api/hexafac/v1/recibos-nomina/validar'],
      ['GET', '/api/hexafac/v1/recibos-nomina?curp=XOJI740919MDFDMN05&tipo_nomina=O&periodo_desde=2026-11-01&limit=5'],
      ['GET', '/api/hexafac/v1/recibos-nomina/r1'],
      ['GET', '/api/hexafac/v1/recibos-nomina/r1'],
      ['GET', '/api/hexafac/v1/recibos-nomina/r1/xml'],
      ['POST', '/api/hexafac/v1/traslados'],
      ['POST', '/api/hexafac/v1/traslados/t1/cancelar'],
      ['GET', '/api/hexafac/v1/traslados/t1'],
      ['GET', '/api/hexafac/v1/traslados/t1/pdf'],
    ]);
    expect(recibidas[0]!.headers['x-hexafac-simular']).toBe('timeout');
    expect(recibidas[7]!.headers['idempotency-key']).toBeTruthy();
    expect(recibidas[1]!.headers['idempotency-key']).toBeUndefined();
  });

  it('catalogos.cartaPorte searches a Carta Porte catalog by name and walks its pages', async () => {
    guion = [
      responder(200, { nombre: 'config-autotransporte', catalogo: 'c_ConfigAutotransporte', data: [{ clave: 'T3S1' }], next_cursor: '1' }),
      responder(200, { nombre: 'config-autotransporte', catalogo: 'c_ConfigAutotransporte', data: [{ clave: 'T3S2' }], next_cursor: null }),
    ];
    const claves = [];
    for await (const c of cliente().catalogos.cartaPorte('config-autotransporte', 'T3', { limit: 1 })) claves.push(c.clave);
    expect(claves).toEqual(['T3S1', 'T3S2']);
    expect(recibidas.map((r) => r.url)).toEqual([
      '/api/hexafac/v1/catalogos/carta-porte/config-autotransporte?q=T3&limit=1',
      '/api/hexafac/v1/catalogos/carta-porte/config-autotransporte?q=T3&limit=1&cursor=1',
    ]);
  });

  it('nominas: create with a key, list, and waitUntilCompleted polls until completado_at (or times out)', async () => {
    const nomina = (completado_at: string | null) => responder(200, { id: 'n1', completado_at, por_status: { pendiente: completado_at ? 0 : 2 } });
    guion = [responder(202, { id: 'n1', completado_at: null }), pagina(['n1'], null), nomina(null), nomina(null), nomina('2026-11-15T12:00:00.000Z'), nomina(null), nomina(null)];
    const h = cliente();
    const cuerpo = { periodo: { tipo_nomina: 'O', fecha_pago: '2026-11-15', fecha_inicial_pago: '2026-11-01', fecha_final_pago: '2026-11-15' }, recibos: [] } as never;
    await h.nominas.create(cuerpo, { idempotencyKey: 'quincena-21' });
    expect((await h.nominas.list({ limit: 1 })).data.map((n) => n.id)).toEqual(['n1']);
    expect((await h.nominas.waitUntilCompleted('n1', { intervalMs: 10 })).completado_at).toBe('2026-11-15T12:00:00.000Z');
    await expect(h.nominas.waitUntilCompleted('n1', { intervalMs: 20, timeoutMs: 30 })).rejects.toMatchObject({ status: 0, code: 'timeout', message: expect.stringContaining('2 recibos pendientes') });
    expect(recibidas.map((r) => [r.method, r.url])).toEqual([
      ['POST', '/api/hexafac/v1/nominas'],
      ['GET', '/api/hexafac/v1/nominas?limit=1'],
      ...Array(5).fill(['GET', '/api/hexafac/v1/nominas/n1']),
    ]);
    expect([recibidas[0]!.headers['idempotency-key'], JSON.parse(recibidas[0]!.body)]).toEqual(['quincena-21', cuerpo]);
  });
});

describe('waitUntilTimbrada', () => {
  const factura = (status: string, errores: unknown[] = []) => responder(200, { id: 'f1', status, errores });

  it('polls until timbrada', async () => {
    guion = [factura('pendiente'), factura('pendiente'), factura('timbrada')];
    const f = await cliente().facturas.waitUntilTimbrada('f1', { intervalMs: 10 });
    expect(f.status).toBe('timbrada');
    expect(recibidas).toHaveLength(3);
  });

  it('throws with the PAC’s errors when rejected, and on timeout', async () => {
    guion = [factura('rechazada', [{ code: 'CFDI40102', message: 'Sello inválido.' }])];
    await expect(cliente().facturas.waitUntilTimbrada('f1', { intervalMs: 10 })).rejects.toMatchObject({
      code: 'factura_rechazada',
      details: [{ code: 'CFDI40102', message: 'Sello inválido.' }],
    });
    guion = [factura('pendiente'), factura('pendiente'), factura('pendiente')];
    await expect(cliente().facturas.waitUntilTimbrada('f1', { intervalMs: 20, timeoutMs: 30 })).rejects.toMatchObject({ code: 'timeout' });
  });
});

describe('verifySignature (Standard Webhooks), against the server’s own signer', () => {
  const body = JSON.stringify({ type: 'factura.timbrada', data: { id: 'f1', total: '1160.00', nombre: 'ÑANDÚ' } });

  it('accepts a genuine delivery and returns its payload (string or bytes, any header case)', async () => {
    const secret = generarSecreto();
    const headers = await encabezadosFirmados([secret], 'msg_1', body);
    expect(await verifySignature(body, headers, secret)).toEqual(JSON.parse(body));
    const upper = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]));
    expect(await cliente().webhooks.verifySignature(new TextEncoder().encode(body), upper, secret)).toEqual(JSON.parse(body));
    expect(await verifySignature(body, new Headers(headers), secret)).toEqual(JSON.parse(body));
  });

  it('accepts any one valid signature among several (secret rotation)', async () => {
    const [viejo, nuevo] = [generarSecreto(), generarSecreto()];
    const headers = await encabezadosFirmados([viejo, nuevo], 'msg_2', body);
    expect(headers['webhook-signature']!.split(' ')).toHaveLength(2);
    await expect(verifySignature(body, headers, nuevo)).resolves.toBeTruthy();
    await expect(verifySignature(body, headers, viejo)).resolves.toBeTruthy();
  });

  it('rejects a tampered body, id or another secret', async () => {
    const secret = generarSecreto();
    const headers = await encabezadosFirmados([secret], 'msg_3', body);
    const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: WebhookVerificationError) => (e instanceof WebhookVerificationError ? e.code : String(e)));
    expect(await code(verifySignature(body.replace('1160.00', '1.00'), headers, secret))).toBe('invalid_signature');
    expect(await code(verifySignature(body, { ...headers, 'webhook-id': 'msg_4' }, secret))).toBe('invalid_signature');
    expect(await code(verifySignature(body, headers, generarSecreto()))).toBe('invalid_signature');
    expect(await code(verifySignature(body, { ...headers, 'webhook-signature': 'v2,abc' }, secret))).toBe('invalid_signature');
    expect(await code(verifySignature(body, { 'webhook-id': 'x' }, secret))).toBe('missing_headers');
  });

  it('rejects a timestamp outside the tolerance, either way', async () => {
    const secret = generarSecreto();
    const ahora = Date.now();
    const viejo = await encabezadosFirmados([secret], 'msg_5', body, ahora - 301_000);
    await expect(verifySignature(body, viejo, secret, { now: ahora })).rejects.toMatchObject({ code: 'timestamp_out_of_tolerance' });
    await expect(verifySignature(body, viejo, secret, { now: ahora, toleranceSeconds: 600 })).resolves.toBeTruthy();
    const futuro = await encabezadosFirmados([secret], 'msg_6', body, ahora + 301_000);
    await expect(verifySignature(body, futuro, secret, { now: ahora })).rejects.toMatchObject({ code: 'timestamp_out_of_tolerance' });
  });
});

describe('types generated from openapi.json', () => {
  it('type request parameters and bodies (checked by tsc; never run)', () => {
    const soloTipos = (h: HexaFac) => {
      // @ts-expect-error: status is the API's enum
      void h.facturas.list({ status: 'pagada' });
      // @ts-expect-error: motivo is required
      void h.facturas.cancel('f1', { folio_sustitucion: null });
      // @ts-expect-error: the receptor's fields are typed
      void h.clientes.create({ rfc: 1, nombre: 'X' });
      void h.facturas.list({ status: 'timbrada', tipo: 'I', limit: 10 });
      // @ts-expect-error: the document is text or bytes
      void h.cfdi.verificar({ xml: '<a/>' });
      void h.cfdi.verificar('<a/>').then((v) => {
        const selloSat: 'valido' | 'invalido' | 'desconocido' | undefined = v.timbre.sello_sat;
        // @ts-expect-error: the result is typed
        void v.sello.inexistente;
        return [v.valido, v.reglas.errores[0]?.code, selloSat];
      });
    };
    expect(typeof soloTipos).toBe('function');
  });
});
