import { describe, expect, it } from 'vitest';
import { API_BASE } from '../../src/env';
import { esperarFin, facturaPPD, facturaTimbrada } from '../comprobantes';
import { api, createEmisor, json } from '../helpers';

// Every `links` object the API answers with holds paths relative to the host (`/api/hexafac/v1/…`), never
// absolute URLs; a 202's Location is the absolute form of its links.self.

const ORIGEN = 'http://hexafac.test';

/** Every `links` object anywhere in a JSON body. */
function linksEn(v: unknown): Record<string, unknown>[] {
  if (Array.isArray(v)) return v.flatMap(linksEn);
  if (typeof v !== 'object' || v === null) return [];
  return Object.entries(v).flatMap(([k, w]) => (k === 'links' && typeof w === 'object' && w !== null ? [w as Record<string, unknown>, ...linksEn(w)] : linksEn(w)));
}

function relativos(body: unknown, cuantos = 1) {
  const links = linksEn(body);
  expect(links.length).toBeGreaterThanOrEqual(cuantos);
  for (const l of links) {
    expect(l.self).toEqual(expect.stringMatching(new RegExp(`^${API_BASE}/`)));
    for (const v of Object.values(l)) if (v !== null) expect(v).toEqual(expect.stringMatching(new RegExp(`^${API_BASE}/[^:]*$`)));
  }
}

async function aceptada(res: Response) {
  expect(res.status).toBe(202);
  const body = await json(res);
  relativos(body);
  expect(res.headers.get('Location')).toBe(`${ORIGEN}${body.links.self}`);
  return body;
}

describe('links are paths relative to the host, on every route that answers with them', () => {
  it('facturas, complementos de pago (their 202 and detail), cancelaciones and the list', async () => {
    const { token } = await createEmisor();
    const f = await facturaTimbrada(token);
    relativos(f);
    expect(Object.keys(f.links).sort()).toEqual(['pdf', 'self', 'xml']);
    relativos((await json(await api('GET', '/facturas', { token }))).data);

    const receptor = { rfc: 'EKU9003173C9', nombre: 'ESCUELA KEMPER URGATE', domicilio_fiscal: '42501', regimen_fiscal: '601' };
    const fechaPago = new Date(Date.now() - 6 * 3600e3).toISOString().slice(0, 10);
    const p = await aceptada(await api('POST', '/complementos-pago', { token, body: { receptor, pagos: [{ fecha_pago: fechaPago, forma_pago: '03', documentos: [{ uuid: f.uuid }] }] } }));
    expect(p.links.self).toBe(`${API_BASE}/complementos-pago/${p.id}`);
    relativos(await esperarFin(token, '/complementos-pago', p.id));
    relativos((await json(await api('GET', '/facturas?tipo=P', { token }))).data);

    const otra = await aceptada(await api('POST', '/facturas', { token, body: facturaPPD() }));
    expect(otra.links.self).toBe(`${API_BASE}/facturas/${otra.id}`);
    await esperarFin(token, '/facturas', otra.id);
    const c = await aceptada(await api('POST', `/facturas/${otra.id}/cancelar`, { token, body: { motivo: '02' } }));
    expect(c.links.self).toBe(`${API_BASE}/facturas/${otra.id}`);
  });

  it('cancelaciones recibidas and their list', async () => {
    const { token } = await createEmisor();
    const res = await api('POST', '/sandbox/cancelaciones-recibidas', { token, body: { n: 1 } });
    expect(res.status).toBe(201);
    relativos(await json(res));
    relativos((await json(await api('GET', '/cancelaciones-recibidas', { token }))).data);
  });
});
