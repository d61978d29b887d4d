import { createExecutionContext } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { API_BASE } from '../../src/env';
import { claseDe, LIMITES } from '../../src/lib/rate-limit';
import { uuidv7 } from '../../src/lib/ids';
import { depsDe } from '../../src/deps';
import { crearPlataforma, crearPlatformKey } from '../../src/services/plataformas';
import worker from '../../worker';
import { api, createEmisor, createKey, createTenant, expectError, facturaBase, insertarFactura, json } from '../helpers';
import { contador, dejarCuota, idDeClave } from '../limites';

// The published limits through the real Worker and the real counter (a Durable Object). Buckets are left nearly
// empty at a time ahead of now (test/limites.ts), so the counts are exact without sending whole budgets or waiting.

const { lecturas, escrituras } = LIMITES.estandar;
const politica = (clase: string, { q, w }: { q: number; w: number }) => `"${clase}";q=${q};w=${w}`;
const restantes = (res: Response) => Number(/;r=(\d+);/.exec(res.headers.get('RateLimit') ?? '')?.[1]);

describe('límites de uso por API key', () => {
  it('una respuesta normal lleva RateLimit-Policy y RateLimit, y lo restante baja con cada solicitud', async () => {
    const { token } = await createTenant();
    await dejarCuota(await idDeClave(token), 'lecturas', 3);
    const a = await api('GET', '/me', { token });
    const b = await api('GET', '/me', { token });
    expect(a.status).toBe(200);
    expect(a.headers.get('RateLimit-Policy')).toBe(politica('lecturas', lecturas));
    expect(a.headers.get('RateLimit')).toMatch(/^"lecturas";r=2;t=[1-9]\d*$/);
    expect(b.headers.get('RateLimit')).toMatch(/^"lecturas";r=1;t=[1-9]\d*$/);
  });

  it('sin un bucket gastado, la primera solicitud ve la cuota entera menos una', async () => {
    const { token } = await createTenant();
    const res = await api('POST', '/clientes', { token, body: { rfc: 'XOJI740919U48', nombre: 'Ingrid Xodar Jimenez', domicilio_fiscal: '88965', regimen_fiscal: '612' } });
    expect(res.status).toBe(201);
    expect(res.headers.get('RateLimit-Policy')).toBe(politica('escrituras', escrituras));
    expect(restantes(res)).toBe(escrituras.q - 1);
  });

  it('agotada la cuota: 429 rate_limit_exceeded con Retry-After, los encabezados en r=0, y no se crea nada', async () => {
    const { token } = await createEmisor();
    await dejarCuota(await idDeClave(token), 'escrituras', 1);
    const ultima = await api('POST', '/facturas', { token, body: facturaBase() });
    expect(ultima.status).toBe(202);
    const { id: aceptada } = await json(ultima);
    const res = await api('POST', '/facturas', { token, body: facturaBase(), headers: { 'Idempotency-Key': 'tras-el-limite' } });
    expect(res.status).toBe(429);
    expect(res.headers.get('Retry-After')).toBe(String(Math.ceil(escrituras.w / escrituras.q)));
    expect(res.headers.get('RateLimit-Policy')).toBe(politica('escrituras', escrituras));
    expect(res.headers.get('RateLimit')).toBe(`"escrituras";r=0;t=${res.headers.get('Retry-After')}`);
    expect(res.headers.get('X-Request-Id')).toBeTruthy();
    const error = await expectError(res, 429, 'rate_limit_exceeded');
    expect(error.message).toMatch(/escrituras.*Reintenta en \d+ s/);
    expect(error.details).toEqual([{ path: 'Authorization', message: 'Se agotó la cuota de escrituras de esta API key.', code: 'rate_limit_exceeded' }]);
    const lista = await json(await api('GET', '/facturas', { token }));
    expect(lista.data.map((f: { id: string }) => f.id)).toEqual([aceptada]);
  });

  it('es por API key: otra key de la misma aplicación no se ve afectada', async () => {
    const { app, token } = await createEmisor();
    const otra = await createKey(app.id);
    await dejarCuota(await idDeClave(token), 'escrituras', 0);
    await expectError(await api('POST', '/facturas', { token, body: facturaBase() }), 429, 'rate_limit_exceeded');
    expect((await api('POST', '/facturas', { token: otra, body: facturaBase() })).status).toBe(202);
  });

  it('es por clase: con las escrituras agotadas las lecturas siguen', async () => {
    const { token } = await createTenant();
    await dejarCuota(await idDeClave(token), 'escrituras', 0);
    await expectError(await api('POST', '/facturas', { token, body: facturaBase() }), 429, 'rate_limit_exceeded');
    const res = await api('GET', '/facturas', { token });
    expect(res.status).toBe(200);
    expect(res.headers.get('RateLimit-Policy')).toBe(politica('lecturas', lecturas));
  });

  it('un lote es costoso: con esa cuota agotada POST /lotes responde 429 y lo demás sigue', async () => {
    const { token } = await createEmisor();
    await dejarCuota(await idDeClave(token), 'costosas', 0);
    const res = await api('POST', '/lotes', { token, body: { items: [{ tipo: 'factura', datos: facturaBase() }] } });
    await expectError(res, 429, 'rate_limit_exceeded');
    expect(res.headers.get('RateLimit-Policy')).toBe(politica('costosas', LIMITES.estandar.costosas));
    expect(res.headers.get('Retry-After')).toBe(String(LIMITES.estandar.costosas.w / LIMITES.estandar.costosas.q));
    expect((await api('POST', '/facturas', { token, body: facturaBase() })).status).toBe(202);
    expect((await api('GET', '/lotes', { token })).status).toBe(200);
  });

  it('cuenta también lo que la key no puede hacer: un 403 por scope lleva los encabezados y gasta la cuota', async () => {
    const { app } = await createTenant();
    const lector = await createKey(app.id, { scopes: ['facturas:read'] });
    await dejarCuota(await idDeClave(lector), 'escrituras', 1);
    const prohibida = await api('POST', '/facturas', { token: lector, body: facturaBase() });
    await expectError(prohibida, 403, 'insufficient_scope');
    expect(prohibida.headers.get('RateLimit')).toMatch(/^"escrituras";r=0;/);
    await expectError(await api('POST', '/facturas', { token: lector, body: facturaBase() }), 429, 'rate_limit_exceeded');
  });

  it('los encabezados sobreviven a una descarga, que responde con su propio Response', async () => {
    const { app, token } = await createTenant();
    const xmlKey = `test/limites/${uuidv7()}.xml`;
    await env.CFDI_BUCKET.put(xmlKey, '<cfdi:Comprobante/>');
    const id = await insertarFactura(app.id, { status: 'timbrada', uuid: crypto.randomUUID().toUpperCase(), xml_key: xmlKey });
    const res = await api('GET', `/facturas/${id}/xml`, { token });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('<cfdi:Comprobante/>');
    expect(res.headers.get('RateLimit-Policy')).toBe(politica('lecturas', lecturas));
    expect(res.headers.get('RateLimit')).toMatch(/^"lecturas";r=\d+;t=\d+$/);
  });

  it('si el contador no responde, la solicitud sigue sin límite (y sin encabezados)', async () => {
    const { token } = await createTenant();
    const roto = { idFromName: () => { throw new Error('sin Durable Object'); } } as unknown as typeof env.RATE_LIMITER;
    const res = await worker.fetch(
      new Request(`http://hexafac.test${API_BASE}/me`, { headers: { Authorization: `Bearer ${token}` } }),
      { ...env, RATE_LIMITER: roto },
      createExecutionContext(),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('RateLimit')).toBeNull();
  });
});

describe('límites de uso por key de plataforma', () => {
  it('cuenta por key de plataforma con el plan de la plataforma, y al agotarse responde 429', async () => {
    const deps = depsDe(env);
    const plataforma = await crearPlataforma(deps, { name: `Plataforma ${uuidv7().slice(-6)}` });
    const { token, platformKey } = await crearPlatformKey(deps, plataforma.id, { name: 'limites', scopes: ['webhooks:read'] });
    const res = await api('GET', '/plataforma/webhooks', { token });
    expect(res.status).toBe(200);
    expect(res.headers.get('RateLimit-Policy')).toBe(politica('lecturas', LIMITES.plataforma.lecturas));
    expect(restantes(res)).toBe(LIMITES.plataforma.lecturas.q - 1);
    await dejarCuota(platformKey.id, 'lecturas', 0, 'plataforma');
    await expectError(await api('GET', '/plataforma/webhooks', { token }), 429, 'rate_limit_exceeded');
  });
});

describe('el contador (Durable Object)', () => {
  const p = { q: 10, w: 60 };

  it('se repone de forma continua: tras Retry-After hay una solicitud más, tras la ventana la cuota entera', async () => {
    const c = contador(`prueba:${uuidv7()}`);
    const t0 = Date.parse('2026-01-01T00:00:00Z');
    expect(await c.consumir('escrituras', p, t0, p.q)).toEqual({ permitido: true, restantes: 0, espera: 6 });
    const negada = await c.consumir('escrituras', p, t0);
    expect(negada).toEqual({ permitido: false, restantes: 0, espera: 6 });
    expect((await c.consumir('escrituras', p, t0 + negada.espera * 1000 - 1)).permitido).toBe(false);
    expect(await c.consumir('escrituras', p, t0 + negada.espera * 1000)).toMatchObject({ permitido: true, restantes: 0 });
    expect(await c.consumir('escrituras', p, t0 + 10 * 60_000)).toMatchObject({ permitido: true, restantes: p.q - 1 });
  });

  it('cada clase tiene su cubeta, y el tiempo nunca corre hacia atrás en una', async () => {
    const c = contador(`prueba:${uuidv7()}`);
    const t0 = Date.parse('2026-01-01T00:00:00Z');
    await c.consumir('escrituras', p, t0, p.q);
    expect(await c.consumir('lecturas', p, t0)).toMatchObject({ permitido: true, restantes: p.q - 1 });
    // an isolate whose clock is behind does not refill the bucket twice
    expect((await c.consumir('escrituras', p, t0 - 60_000)).permitido).toBe(false);
  });
});

describe('la clase de cada operación (tabla)', () => {
  it.each([
    ['GET', '/facturas', 'lecturas'],
    ['HEAD', '/facturas/x/xml', 'lecturas'],
    ['POST', '/facturas', 'escrituras'],
    ['PUT', '/webhooks/x', 'escrituras'],
    ['PATCH', '/clientes/x', 'escrituras'],
    ['DELETE', '/webhooks/x', 'escrituras'],
    ['POST', '/lotes', 'costosas'],
    ['GET', '/lotes/x', 'lecturas'],
    ['POST', '/exportaciones', 'costosas'],
    ['GET', '/exportaciones/x', 'lecturas'],
    ['GET', '/exportaciones/x/archivo', 'costosas'],
  ])('%s %s es %s', (metodo, ruta, clase) => {
    expect(claseDe(metodo, ruta)).toBe(clase);
  });

  it('las cuotas costosas son estrechas y las escrituras admiten la ráfaga de bench:api (300 a la vez)', () => {
    for (const plan of ['estandar', 'plataforma'] as const) {
      expect(LIMITES[plan].costosas.q).toBeLessThanOrEqual(20);
      expect(LIMITES[plan].escrituras.q).toBeGreaterThanOrEqual(600);
    }
  });
});

describe('sin API key: por IP', () => {
  const desde = (ip: string, path: string, token?: string) =>
    exports.default.fetch(new Request(`http://hexafac.test${API_BASE}${path}`, { headers: { 'CF-Connecting-IP': ip, ...(token ? { Authorization: `Bearer ${token}` } : {}) } }));

  it('las rutas públicas llevan los encabezados de la cuota por IP, y al agotarla responden 429', async () => {
    const ip = '198.51.100.6';
    const res = await desde(ip, '/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('RateLimit-Policy')).toBe(politica('lecturas', LIMITES.sin_api_key.lecturas));
    await res.body?.cancel();
    await dejarCuota(`ip:${ip}`, 'lecturas', 0, 'sin_api_key');
    const error = await expectError(await desde(ip, '/sandbox/certificado'), 429, 'rate_limit_exceeded');
    expect(error.details[0]!.message).toBe('Se agotó la cuota de lecturas de esta IP (sin API key).');
    // another client (IP) is not affected
    const otra = await desde('198.51.100.7', '/sandbox/certificado');
    expect(otra.status).toBe(200);
    await otra.body?.cancel();
  });

  it('un 401 sin key también cuenta por IP y lleva los encabezados', async () => {
    const res = await desde('198.51.100.8', '/me');
    await expectError(res, 401, 'missing_api_key');
    expect(res.headers.get('RateLimit')).toMatch(/^"lecturas";r=\d+;t=\d+$/);
  });

  it('una ruta pública llamada con una key (o una key rechazada) cuenta por IP: mandar una key no salta el límite', async () => {
    const ip = '198.51.100.9';
    const { token } = await createTenant();
    const publica = await desde(ip, '/sandbox/certificado', token);
    expect(publica.status).toBe(200);
    expect(publica.headers.get('RateLimit-Policy')).toBe(politica('lecturas', LIMITES.sin_api_key.lecturas));
    await publica.body?.cancel();
    const rechazada = await desde(ip, '/me', 'hfx_test_' + 'x'.repeat(43));
    await expectError(rechazada, 401, 'invalid_api_key');
    expect(rechazada.headers.get('RateLimit')).toMatch(/^"lecturas";r=\d+;/);
    await dejarCuota(`ip:${ip}`, 'lecturas', 0, 'sin_api_key');
    const res = await desde(ip, '/sandbox/certificado', token);
    await expectError(res, 429, 'rate_limit_exceeded');
    expect(res.headers.get('Retry-After')).toMatch(/^[1-9]\d*$/);
    // the refused answer is a fresh one: none of the public route's own headers ride on it
    expect(res.headers.get('Content-Type')).toBe('application/json');
  });

  it('/health queda fuera: ni encabezados ni 429, aunque la IP haya agotado su cuota', async () => {
    const ip = '198.51.100.10';
    await dejarCuota(`ip:${ip}`, 'lecturas', 0, 'sin_api_key');
    const res = await desde(ip, '/health');
    expect(res.status).toBe(200);
    expect(res.headers.get('RateLimit')).toBeNull();
  });
});
