import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { catalogs as cat } from '../../cfdi';
import { getDb } from '../../db/client';
import { clientes, facturas } from '../../db/schema';
import type { Scope } from '../../lib/auth';
import { uuidv7 } from '../../lib/ids';
import { DomainError } from '../../lib/errors';
import { depsDe } from '../../deps';
import { digitoVerificadorRfc } from '../../cfdi';
import { resolverReceptor } from '../../services/clientes';
import { api, createKey, createTenant, expectError, json } from '../../../test/helpers';

const MORAL = { rfc: 'EKU9003173C9', nombre: 'Escuela  Kemper   urgate ', domicilio_fiscal: '42501', regimen_fiscal: '601' };
const FISICA = { rfc: 'XOJI740919U48', nombre: 'Ingrid Xodar Jimenez', domicilio_fiscal: '88965', regimen_fiscal: '612' };
const GENERICO = { rfc: 'XAXX010101000', nombre: 'Publico en General' };

/** A fresh valid persona moral RFC, so tests that need many clientes do not collide. */
function rfcMoral(n: number): string {
  const base = `ABC${String(100101 + (n % 28))}${'ABCDEFGHJKLMNPQRSTUVWXYZ'[Math.floor(n / 28) % 24]}${n % 10}`;
  return base + digitoVerificadorRfc(base);
}

const post = (token: string, body: unknown) => api('POST', '/clientes', { token, body });

async function crear(token: string, body: unknown = MORAL) {
  const res = await post(token, body);
  if (res.status !== 201) throw new Error(`crear: ${res.status} ${await res.text()}`);
  return json(res);
}

/** The 422's details as {path: [messages]}, so a test can assert which fields were flagged. */
async function problemas(res: Response) {
  const err = await expectError(res, 422, 'validation_error');
  const porRuta: Record<string, { message: string; code?: string }[]> = {};
  for (const d of err.details) (porRuta[d.path] ??= []).push(d);
  return porRuta;
}

async function tenantConModos(scopes?: readonly Scope[]) {
  const { app, token } = await createTenant({ scopes });
  const live = await createKey(app.id, { mode: 'live', scopes });
  return { app, token, live };
}

describe('POST /clientes — happy', () => {
  it('registers a persona moral, normalising the name and defaulting uso_cfdi to G03', async () => {
    const { token } = await createTenant();
    const res = await post(token, { ...MORAL, rfc: ' eku9003173c9', email: 'conta@kemper.mx' });
    expect(res.status).toBe(201);
    const body = await json(res);
    expect(res.headers.get('Location')).toBe(`/api/hexafac/v1/clientes/${body.id}`);
    expect(body).toMatchObject({
      rfc: 'EKU9003173C9',
      nombre: 'ESCUELA KEMPER URGATE',
      domicilio_fiscal: '42501',
      regimen_fiscal: '601',
      uso_cfdi: 'G03',
      email: 'conta@kemper.mx',
    });
    expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await json(await api('GET', `/clientes/${body.id}`, { token }))).toEqual(body);
  });

  it('defaults uso_cfdi to S01 when the régimen does not admit G03 (sueldos y salarios)', async () => {
    expect(cat.usoCfdi('G03')!.regimenesFiscalesReceptores).not.toContain('605');
    const { token } = await createTenant();
    expect((await crear(token, { ...FISICA, regimen_fiscal: '605' })).uso_cfdi).toBe('S01');
    expect((await crear(token, { ...FISICA, rfc: 'CACX7605101P8' })).uso_cfdi).toBe('G03');
  });

  it('keeps a given uso_cfdi compatible with the persona and régimen', async () => {
    const { token } = await createTenant();
    const c = await crear(token, { ...FISICA, regimen_fiscal: '605', uso_cfdi: 'D01' });
    expect(c).toMatchObject({ regimen_fiscal: '605', uso_cfdi: 'D01', email: null });
  });

  it('keeps a moral name that merely contains SA or AC before its end', async () => {
    const { token } = await createTenant();
    expect((await crear(token, { ...MORAL, nombre: 'Servicios AC y Casa Grande' })).nombre).toBe('SERVICIOS AC Y CASA GRANDE');
  });

  it('keeps Ñ and accents when upper-casing the name', async () => {
    const { token } = await createTenant();
    const c = await crear(token, { rfc: 'OÑO120726RX3', nombre: 'compañía ñandú', domicilio_fiscal: '01000', regimen_fiscal: '601' });
    expect(c.nombre).toBe('COMPAÑÍA ÑANDÚ');
  });

  it('a generic RFC takes régimen 616, uso S01 and the emisor lugar de expedición, and may repeat', async () => {
    const { token } = await createTenant({ app: { lugar_expedicion: '06600' } });
    const a = await crear(token, GENERICO);
    expect(a).toMatchObject({ rfc: 'XAXX010101000', nombre: 'PUBLICO EN GENERAL', domicilio_fiscal: '06600', regimen_fiscal: '616', uso_cfdi: 'S01' });
    const b = await crear(token, { ...GENERICO, domicilio_fiscal: '06600', regimen_fiscal: '616', uso_cfdi: 'S01' });
    expect(b.id).not.toBe(a.id);
    const e1 = await crear(token, { rfc: 'XEXX010101000', nombre: 'Acme Corporation' });
    const e2 = await crear(token, { rfc: 'XEXX010101000', nombre: 'Globex Corporation' });
    expect([e1.regimen_fiscal, e2.uso_cfdi]).toEqual(['616', 'S01']);
  });
});

describe('POST /clientes — RFC rules', () => {
  const casos = [
    ['longitud', 'EKU900317'],
    ['formato', 'EK19003173C9'],
    ['fecha', 'EKU9013313C' + digitoVerificadorRfc('EKU9013313C')],
    ['digito_verificador', 'EKU9003173C8'],
  ] as const;
  for (const [regla, rfc] of casos) {
    it(`422 naming the rule: ${regla}`, async () => {
      const { token } = await createTenant();
      const p = await problemas(await post(token, { ...MORAL, rfc }));
      expect(Object.keys(p)).toEqual(['rfc']);
      expect(p.rfc![0]!.code).toBe(`rfc_${regla}`);
      expect(p.rfc![0]!.message).toContain(regla);
    });
  }

  it('422 without an RFC', async () => {
    const { token } = await createTenant();
    const p = await problemas(await post(token, { nombre: 'X', domicilio_fiscal: '42501', regimen_fiscal: '601' }));
    expect(p.rfc![0]!.message).toBe('El RFC es obligatorio.');
  });
});

describe('POST /clientes — nombre, domicilio, régimen, uso, email', () => {
  const casos: [string, Record<string, unknown>, string, RegExp][] = [
    ['blank name', { ...MORAL, nombre: '   ' }, 'nombre', /obligatorio/],
    ['name too long', { ...MORAL, nombre: 'A'.repeat(255) }, 'nombre', /254/],
    ['name with |', { ...MORAL, nombre: 'ESCUELA|KEMPER' }, 'nombre', /\|/],
    ['régimen societario', { ...MORAL, nombre: 'Escuela Kemper Urgate, S.A. de C.V.' }, 'nombre', /régimen societario.*: ESCUELA KEMPER URGATE\.$/],
    ['régimen societario SAPI', { ...MORAL, nombre: 'ESCUELA KEMPER URGATE SAPI DE CV' }, 'nombre', /ESCUELA KEMPER URGATE\.$/],
    ['régimen societario SPR', { ...MORAL, nombre: 'Agrícola del Valle S.P.R. de R.L.' }, 'nombre', /AGRÍCOLA DEL VALLE\.$/],
    ['PUBLICO EN GENERAL with a real RFC', { ...FISICA, nombre: 'publico en general' }, 'nombre', /XAXX010101000/],
    ['XAXX with another name', { ...GENERICO, nombre: 'JUAN PEREZ' }, 'nombre', /PUBLICO EN GENERAL/],
    ['no domicilio fiscal', { ...MORAL, domicilio_fiscal: undefined }, 'domicilio_fiscal', /obligatorio/],
    ['CP of 4 digits', { ...MORAL, domicilio_fiscal: '4250' }, 'domicilio_fiscal', /5 dígitos/],
    ['CP with letters', { ...MORAL, domicilio_fiscal: '4250A' }, 'domicilio_fiscal', /5 dígitos/],
    ['generic RFC with another CP', { ...GENERICO, domicilio_fiscal: '01000' }, 'domicilio_fiscal', /lugar de expedición del emisor \(42501\)/],
    ['no régimen', { ...MORAL, regimen_fiscal: undefined }, 'regimen_fiscal', /obligatorio/],
    ['régimen not in the catalog', { ...MORAL, regimen_fiscal: '999' }, 'regimen_fiscal', /c_RegimenFiscal/],
    ['régimen of morales for a física', { ...FISICA, regimen_fiscal: '601' }, 'regimen_fiscal', /persona física/],
    ['régimen of físicas for a moral', { ...MORAL, regimen_fiscal: '612' }, 'regimen_fiscal', /persona moral/],
    ['generic RFC with another régimen', { ...GENERICO, regimen_fiscal: '612' }, 'regimen_fiscal', /616/],
    ['uso not in the catalog', { ...MORAL, uso_cfdi: 'Z99' }, 'uso_cfdi', /c_UsoCFDI/],
    ['uso of físicas for a moral', { ...MORAL, uso_cfdi: 'D01' }, 'uso_cfdi', /persona moral/],
    ['generic RFC with another uso', { ...GENERICO, uso_cfdi: 'G03' }, 'uso_cfdi', /S01/],
    ['invalid email', { ...MORAL, email: 'conta@' }, 'email', /correo/i],
    ['unknown field (named at its own path)', { ...MORAL, regimen: '601' }, 'regimen', /regimen/],
    ['a CP that does not exist (CFDI40147)', { ...MORAL, domicilio_fiscal: '00000' }, 'domicilio_fiscal', /c_CodigoPostal/],
  ];
  for (const [caso, body, ruta, mensaje] of casos) {
    it(`422: ${caso}`, async () => {
      const { token } = await createTenant();
      const p = await problemas(await post(token, body));
      expect(Object.keys(p)).toEqual([ruta]);
      expect(p[ruta]![0]!.message).toMatch(mensaje);
    });
  }

  it('422 on both régimen and uso when the uso does not admit the régimen', async () => {
    expect(cat.usoCfdi('G03')!.regimenesFiscalesReceptores).not.toContain('605');
    const { token } = await createTenant();
    const p = await problemas(await post(token, { ...FISICA, regimen_fiscal: '605', uso_cfdi: 'G03' }));
    expect(Object.keys(p).sort()).toEqual(['regimen_fiscal', 'uso_cfdi']);
    expect(p.uso_cfdi![0]!.message).toContain('605');
  });

  it('reports every problem at once', async () => {
    const { token } = await createTenant();
    const p = await problemas(
      await post(token, { rfc: 'EKU9003173C8', nombre: ' ', domicilio_fiscal: '1', regimen_fiscal: '000', uso_cfdi: 'X', email: 'no' }),
    );
    expect(Object.keys(p).sort()).toEqual(['domicilio_fiscal', 'email', 'nombre', 'regimen_fiscal', 'rfc', 'uso_cfdi']);
  });

  it('400 for a body that is not JSON, 415 for another content type', async () => {
    const { token } = await createTenant();
    await expectError(await post(token, '{"rfc":'), 400, 'invalid_json');
    await expectError(await api('POST', '/clientes', { token, body: 'rfc=X', headers: { 'Content-Type': 'text/plain' } }), 415);
  });
});

describe('POST /clientes — one RFC per application and mode', () => {
  it('409 cliente_duplicado for the same RFC, however it is written', async () => {
    const { token } = await createTenant();
    const first = await crear(token);
    const err = await expectError(await post(token, { ...MORAL, rfc: 'eku9003173c9', nombre: 'OTRA' }), 409, 'cliente_duplicado');
    expect(err.message).toContain(first.id);
    expect(err.details[0]!.path).toBe('rfc');
  });

  it('the same RFC is fine in the other mode and in another application', async () => {
    const { app, token, live } = await tenantConModos();
    await crear(token);
    await crear(live);
    const other = await createTenant();
    await crear(other.token);
    expect(app.id).not.toBe(other.app.id);
  });

  it('two concurrent registrations of one RFC: exactly one wins', async () => {
    const { token } = await createTenant();
    const res = await Promise.all([post(token, MORAL), post(token, MORAL), post(token, MORAL)]);
    expect(res.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    for (const r of res.filter((r) => r.status === 409)) await expectError(r, 409, 'cliente_duplicado');
  });
});

describe('GET /clientes', () => {
  it('pages newest first with the cursor, without repeats or gaps', async () => {
    const { token } = await createTenant();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await crear(token, { ...MORAL, rfc: rfcMoral(i) })).id);
    const vistos: string[] = [];
    let cursor: string | null = null;
    let paginas = 0;
    do {
      const qs: string = cursor ? `?limit=2&cursor=${encodeURIComponent(cursor)}` : '?limit=2';
      const page = await json(await api('GET', `/clientes${qs}`, { token }));
      expect(page.data.length).toBeLessThanOrEqual(2);
      vistos.push(...page.data.map((c: { id: string }) => c.id));
      cursor = page.next_cursor;
      paginas++;
    } while (cursor);
    expect(paginas).toBe(3);
    expect(vistos).toEqual([...ids].reverse());
  });

  it('searches by RFC prefix or part of the name, case-insensitively', async () => {
    const { token } = await createTenant();
    const kemper = await crear(token);
    const ingrid = await crear(token, FISICA);
    const nandu = await crear(token, { rfc: 'OÑO120726RX3', nombre: 'Compañía Ñandú', domicilio_fiscal: '01000', regimen_fiscal: '601' });
    const buscar = async (q: string) =>
      (await json(await api('GET', `/clientes?q=${encodeURIComponent(q)}`, { token }))).data.map((c: { id: string }) => c.id);
    expect(await buscar('eku9')).toEqual([kemper.id]);
    expect(await buscar('xoji740919U48')).toEqual([ingrid.id]);
    expect(await buscar('  kemper  urg')).toEqual([kemper.id]);
    expect(await buscar('xodar')).toEqual([ingrid.id]);
    expect(await buscar('ñandú')).toEqual([nandu.id]);
    expect(await buscar('a')).toEqual([nandu.id, ingrid.id, kemper.id]);
    // An RFC matches by prefix only; % and _ are literal.
    expect(await buscar('9003173')).toEqual([]);
    expect(await buscar('%')).toEqual([]);
    expect(await buscar('_')).toEqual([]);
  });

  it('lists only the caller’s application and mode, and no deleted clientes', async () => {
    const { token, live } = await tenantConModos();
    const mio = await crear(token);
    const borrado = await crear(token, FISICA);
    await api('DELETE', `/clientes/${borrado.id}`, { token });
    await crear(live, FISICA);
    await crear((await createTenant()).token, FISICA);
    const page = await json(await api('GET', '/clientes', { token }));
    expect(page).toEqual({ data: [mio], next_cursor: null });
  });

  it('422 for a bad cursor or limit', async () => {
    const { token } = await createTenant();
    await expectError(await api('GET', '/clientes?cursor=nope', { token }), 422, 'validation_error');
    await expectError(await api('GET', '/clientes?limit=0', { token }), 422, 'validation_error');
    await expectError(await api('GET', '/clientes?limit=101', { token }), 422, 'validation_error');
  });
});

describe('GET /clientes/{id}', () => {
  it('404 for an unknown id', async () => {
    const { token } = await createTenant();
    await expectError(await api('GET', `/clientes/${uuidv7()}`, { token }), 404, 'not_found');
    await expectError(await api('GET', '/clientes/no-es-un-id', { token }), 404, 'not_found');
  });
});

describe('PATCH /clientes/{id}', () => {
  it('changes only the given fields, normalised, and moves updated_at', async () => {
    const { token } = await createTenant();
    const c = await crear(token, { ...MORAL, email: 'a@kemper.mx' });
    await new Promise((r) => setTimeout(r, 5));
    const res = await api('PATCH', `/clientes/${c.id}`, { token, body: { nombre: ' escuela   kemper ', email: 'b@kemper.mx' } });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toEqual({ ...c, nombre: 'ESCUELA KEMPER', email: 'b@kemper.mx', updated_at: body.updated_at });
    expect(body.updated_at > c.updated_at).toBe(true);
    expect(await json(await api('GET', `/clientes/${c.id}`, { token }))).toEqual(body);
  });

  it('null clears the email', async () => {
    const { token } = await createTenant();
    const c = await crear(token, { ...MORAL, email: 'a@kemper.mx' });
    expect((await json(await api('PATCH', `/clientes/${c.id}`, { token, body: { email: null } }))).email).toBeNull();
  });

  it('validates the merged cliente: a régimen that rejects the stored uso is a 422 on both', async () => {
    const { token } = await createTenant();
    const c = await crear(token, FISICA);
    expect(c.uso_cfdi).toBe('G03');
    const p = await problemas(await api('PATCH', `/clientes/${c.id}`, { token, body: { regimen_fiscal: '605' } }));
    expect(Object.keys(p).sort()).toEqual(['regimen_fiscal', 'uso_cfdi']);
    const ok = await api('PATCH', `/clientes/${c.id}`, { token, body: { regimen_fiscal: '605', uso_cfdi: 'D01' } });
    expect(await json(ok)).toMatchObject({ regimen_fiscal: '605', uso_cfdi: 'D01' });
  });

  it('a new RFC of the other persona must bring a régimen that applies to it', async () => {
    const { token } = await createTenant();
    const c = await crear(token);
    const p = await problemas(await api('PATCH', `/clientes/${c.id}`, { token, body: { rfc: FISICA.rfc } }));
    expect(p.regimen_fiscal![0]!.message).toContain('persona física');
    const ok = await json(await api('PATCH', `/clientes/${c.id}`, { token, body: { rfc: FISICA.rfc, regimen_fiscal: '612' } }));
    expect(ok).toMatchObject({ rfc: FISICA.rfc, regimen_fiscal: '612' });
  });

  it('422 for an invalid field and for an unknown one', async () => {
    const { token } = await createTenant();
    const c = await crear(token);
    const p = await problemas(await api('PATCH', `/clientes/${c.id}`, { token, body: { rfc: 'EKU9003173C1', email: 'x' } }));
    expect(Object.keys(p).sort()).toEqual(['email', 'rfc']);
    await problemas(await api('PATCH', `/clientes/${c.id}`, { token, body: { id: uuidv7() } }));
  });

  it('409 when the new RFC belongs to another cliente; keeping its own RFC is fine', async () => {
    const { token } = await createTenant();
    const a = await crear(token);
    const b = await crear(token, FISICA);
    await expectError(await api('PATCH', `/clientes/${b.id}`, { token, body: { rfc: MORAL.rfc, regimen_fiscal: '601' } }), 409, 'cliente_duplicado');
    expect((await api('PATCH', `/clientes/${a.id}`, { token, body: { rfc: MORAL.rfc } })).status).toBe(200);
  });

  it('404 for an unknown id', async () => {
    const { token } = await createTenant();
    await expectError(await api('PATCH', `/clientes/${uuidv7()}`, { token, body: { email: null } }), 404, 'not_found');
  });
});

describe('DELETE /clientes/{id}', () => {
  it('deletes for good a cliente without facturas; afterwards 404 and its RFC is free', async () => {
    const { token } = await createTenant();
    const c = await crear(token);
    const res = await api('DELETE', `/clientes/${c.id}`, { token });
    expect(res.status).toBe(204);
    expect(await getDb(env).select().from(clientes).where(eq(clientes.id, c.id)).get()).toBeUndefined();
    await expectError(await api('GET', `/clientes/${c.id}`, { token }), 404, 'not_found');
    await expectError(await api('DELETE', `/clientes/${c.id}`, { token }), 404, 'not_found');
    await crear(token);
  });

  it('soft-deletes a cliente that facturas reference, keeping the row for their history', async () => {
    const { app, token } = await createTenant();
    const c = await crear(token);
    const facturaId = uuidv7();
    await getDb(env).insert(facturas).values({
      id: facturaId,
      client_application_id: app.id,
      mode: 'test',
      tipo: 'I',
      status: 'timbrada',
      serie: 'A',
      folio: '1',
      cliente_id: c.id,
      receptor_rfc: c.rfc,
      receptor_nombre: c.nombre,
      moneda: 'MXN',
      subtotal: '100.00',
      total: '116.00',
      fecha: '2026-11-20T12:00:00',
      datos: {},
    });
    expect((await api('DELETE', `/clientes/${c.id}`, { token })).status).toBe(204);
    const row = await getDb(env).select().from(clientes).where(eq(clientes.id, c.id)).get();
    expect(row?.deleted_at).toBeTruthy();
    await expectError(await api('GET', `/clientes/${c.id}`, { token }), 404, 'not_found');
    await expectError(await api('PATCH', `/clientes/${c.id}`, { token, body: { email: null } }), 404, 'not_found');
    await expectError(await api('DELETE', `/clientes/${c.id}`, { token }), 404, 'not_found');
    // The RFC is free again; the factura still points at the old cliente.
    const nuevo = await crear(token);
    expect(nuevo.id).not.toBe(c.id);
    expect((await getDb(env).select().from(facturas).where(eq(facturas.id, facturaId)).get())!.cliente_id).toBe(c.id);
  });
});

describe('security', () => {
  const rutas = (id: string) =>
    [
      ['GET', '/clientes', undefined, 'clientes:read'],
      ['POST', '/clientes', MORAL, 'clientes:write'],
      ['GET', `/clientes/${id}`, undefined, 'clientes:read'],
      ['PATCH', `/clientes/${id}`, { email: null }, 'clientes:write'],
      ['DELETE', `/clientes/${id}`, undefined, 'clientes:write'],
    ] as const;

  it('401 without a key on every route', async () => {
    for (const [method, path, body] of rutas(uuidv7())) {
      await expectError(await api(method, path, { body }), 401, 'missing_api_key');
    }
  });

  it('403 naming the scope when the key lacks it; the scope alone admits', async () => {
    const { token } = await createTenant();
    const c = await crear(token);
    for (const [method, path, body, scope] of rutas(c.id)) {
      const otros = (['clientes:read', 'clientes:write', 'facturas:read', 'facturas:write'] as const).filter((s) => s !== scope);
      const sin = await createTenant({ scopes: otros });
      const err = await expectError(await api(method, path, { token: sin.token, body }), 403, 'insufficient_scope');
      expect(err.message).toContain(scope);
    }
    const lector = await createKey((await createTenant()).app.id, { scopes: ['clientes:read'] });
    expect((await api('GET', '/clientes', { token: lector })).status).toBe(200);
  });

  it('another application’s cliente is 404 on GET, PATCH and DELETE, and stays untouched', async () => {
    const owner = await createTenant();
    const c = await crear(owner.token);
    const { token } = await createTenant();
    await expectError(await api('GET', `/clientes/${c.id}`, { token }), 404, 'not_found');
    await expectError(await api('PATCH', `/clientes/${c.id}`, { token, body: { nombre: 'HACKED' } }), 404, 'not_found');
    await expectError(await api('DELETE', `/clientes/${c.id}`, { token }), 404, 'not_found');
    expect(await json(await api('GET', `/clientes/${c.id}`, { token: owner.token }))).toEqual(c);
  });

  it('the other mode’s cliente is 404 on GET, PATCH and DELETE, and stays untouched', async () => {
    const { token, live } = await tenantConModos();
    const c = await crear(token);
    await expectError(await api('GET', `/clientes/${c.id}`, { token: live }), 404, 'not_found');
    await expectError(await api('PATCH', `/clientes/${c.id}`, { token: live, body: { nombre: 'HACKED' } }), 404, 'not_found');
    await expectError(await api('DELETE', `/clientes/${c.id}`, { token: live }), 404, 'not_found');
    expect(await json(await api('GET', `/clientes/${c.id}`, { token }))).toEqual(c);
  });
});

describe('resolverReceptor', () => {
  it('gives the receptor of a factura from the tenant’s cliente', async () => {
    const { app, token } = await createTenant();
    const c = await crear(token, FISICA);
    const r = await resolverReceptor(depsDe(env), { applicationId: app.id, mode: 'test' }, c.id);
    expect(r).toEqual({
      cliente_id: c.id,
      rfc: 'XOJI740919U48',
      nombre: 'INGRID XODAR JIMENEZ',
      domicilio_fiscal: '88965',
      regimen_fiscal: '612',
      uso_cfdi: 'G03',
    });
  });

  it('a 422 on cliente_id for a missing, deleted, other mode’s or other application’s cliente', async () => {
    const { app, token } = await createTenant();
    const c = await crear(token);
    const borrado = await crear(token, FISICA);
    await api('DELETE', `/clientes/${borrado.id}`, { token });
    const otro = await createTenant();
    const casos = [
      [{ applicationId: app.id, mode: 'test' }, uuidv7()],
      [{ applicationId: app.id, mode: 'test' }, borrado.id],
      [{ applicationId: app.id, mode: 'live' }, c.id],
      [{ applicationId: otro.app.id, mode: 'test' }, c.id],
    ] as const;
    for (const [tenant, id] of casos) {
      const err = await resolverReceptor(depsDe(env), tenant, id).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(DomainError);
      expect(err).toMatchObject({ kind: 'invalid', code: 'validation_error', details: [{ path: 'cliente_id' }] });
    }
  });
});

describe('OpenAPI', () => {
  it('documents the routes, their scopes, the Cliente schema and the CP limitation', async () => {
    const doc = await json(await api('GET', '/openapi.json'));
    expect(Object.keys(doc.paths['/clientes'])).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/clientes/{id}']).sort()).toEqual(['delete', 'get', 'patch']);
    expect(doc.paths['/clientes'].post.security).toEqual([{ bearerAuth: ['clientes:write'] }]);
    expect(doc.paths['/clientes/{id}'].get.parameters[0]).toMatchObject({ name: 'id', in: 'path' });
    expect(doc.components.schemas.Cliente.example.rfc).toBe('XOJI740919U48');
    expect(doc.components.schemas.ClienteNuevo.properties.domicilio_fiscal.description).toContain('c_CodigoPostal');
    expect(doc.paths['/clientes/{id}'].delete.description).toMatch(/lógica.*definitivamente/s);
  });
});
