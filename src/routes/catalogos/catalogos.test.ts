import { describe, expect, it } from 'vitest';
import { api, createTenant, expectError, json } from '../../../test/helpers';

describe('GET /catalogos — happy', () => {
  it('searches c_ClaveProdServ ranked, accent- and case-insensitive', async () => {
    const { token } = await createTenant();
    const res = await api('GET', '/catalogos/productos-servicios?q=CAFE&limit=3', { token });
    expect(res.status).toBe(200);
    const { data } = await json(res);
    expect(data).toHaveLength(3);
    expect(data[0]).toMatchObject({ clave: '50201706', descripcion: 'Café', estimulo_franja_fronteriza: true });
  });

  it('puts an exact clave first', async () => {
    const { token } = await createTenant();
    const { data } = await json(await api('GET', '/catalogos/productos-servicios?q=43211503', { token }));
    expect(data[0].clave).toBe('43211503');
  });

  it('searches c_ClaveUnidad by clave and nombre', async () => {
    const { token } = await createTenant();
    expect((await json(await api('GET', '/catalogos/claves-unidad?q=h87', { token }))).data[0]).toEqual({ clave: 'H87', nombre: 'Pieza', simbolo: null });
    const { data } = await json(await api('GET', '/catalogos/claves-unidad?q=kilogramo&limit=50', { token }));
    expect(data.map((u: { clave: string }) => u.clave)).toContain('KGM');
  });

  it('gives a CP with its estado, municipio, zona horaria and franja fronteriza', async () => {
    const { token } = await createTenant();
    const res = await api('GET', '/catalogos/codigos-postales/32000', { token });
    expect(await json(res)).toEqual({
      codigo_postal: '32000', estado: 'CHH', municipio: '037', localidad: '06', zona_horaria: 'America/Ciudad_Juarez', franja_fronteriza: true,
    });
  });

  it('lists a small catalog, uso-cfdi with the regímenes it allows', async () => {
    const { token } = await createTenant({ scopes: ['webhooks:read'] }); // any key reads reference data
    const { nombre, data } = await json(await api('GET', '/catalogos/uso-cfdi', { token }));
    expect(nombre).toBe('uso-cfdi');
    expect(data.find((u: { clave: string }) => u.clave === 'G03')).toMatchObject({
      descripcion: 'Gastos en general.', aplica_fisica: true, aplica_moral: true, vigencia_desde: '2022-01-01', vigencia_hasta: null,
    });
    expect(data.find((u: { clave: string }) => u.clave === 'G03').regimenes_fiscales_receptores).toContain('601');
    const monedas = (await json(await api('GET', '/catalogos/moneda', { token }))).data;
    expect(monedas.find((m: { clave: string }) => m.clave === 'JPY').decimales).toBe(0);
  });
});

describe('GET /catalogos — errors', () => {
  it.each([
    ['/catalogos/productos-servicios', 'q'],
    ['/catalogos/productos-servicios?q=a', 'q'],
    ['/catalogos/productos-servicios?q=cafe&limit=0', 'limit'],
    ['/catalogos/claves-unidad?q=pieza&limit=abc', 'limit'],
    ['/catalogos/claves-unidad?q=pieza&limit=51', 'limit'],
  ])('%s → 422 on %s', async (path, campo) => {
    const { token } = await createTenant();
    const err = await expectError(await api('GET', path, { token }), 422, 'validation_error');
    expect(err.details.map((d) => d.path)).toContain(campo);
  });

  it('404s an unknown CP and an unknown catalog', async () => {
    const { token } = await createTenant();
    await expectError(await api('GET', '/catalogos/codigos-postales/00000', { token }), 404, 'codigo_postal_desconocido');
    await expectError(await api('GET', '/catalogos/codigos-postales/abc', { token }), 404, 'codigo_postal_desconocido');
    await expectError(await api('GET', '/catalogos/toString', { token }), 404, 'catalogo_desconocido');
  });
});

describe('GET /catalogos — security', () => {
  it.each(['/catalogos/productos-servicios?q=cafe', '/catalogos/claves-unidad?q=pieza', '/catalogos/codigos-postales/06600', '/catalogos/moneda'])(
    '%s needs an API key',
    async (path) => {
      await expectError(await api('GET', path), 401, 'missing_api_key');
    },
  );
});
