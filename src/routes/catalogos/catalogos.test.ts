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

describe('GET /catalogos/carta-porte/{nombre}', () => {
  it('finds a material peligroso by words without accents, configuraciones by a clave prefix, and pages a whole catalog', async () => {
    const { token } = await createTenant({ scopes: ['webhooks:read'] });
    const peligrosos = await json(await api('GET', '/catalogos/carta-porte/material-peligroso?q=GASOLINA%20combustible&limit=5', { token }));
    expect(peligrosos).toMatchObject({ nombre: 'material-peligroso', catalogo: 'c_MaterialPeligroso', next_cursor: null });
    expect(peligrosos.data[0]).toEqual({ clave: '1203', descripcion: 'COMBUSTIBLE PARA MOTORES o GASOLINA', clase_o_div: '3' });
    expect((await json(await api('GET', '/catalogos/carta-porte/material-peligroso?q=picrato%20amonico', { token }))).data[0].clave).toBe('0004');

    const { data: configuraciones } = await json(await api('GET', '/catalogos/carta-porte/config-autotransporte?q=T3S2', { token }));
    expect(configuraciones.map((c: { clave: string }) => c.clave)).toEqual(['T3S2', 'T3S2R2', 'T3S2R3', 'T3S2R4', 'T3S2S2']);
    expect(configuraciones[0]).toMatchObject({ numero_de_ejes: 5, remolque: '1' });

    // c_FiguraTransporte has 5 claves: two pages of 3 and 2, in clave order.
    const primera = await json(await api('GET', '/catalogos/carta-porte/figura-transporte?limit=3', { token }));
    const segunda = await json(await api('GET', `/catalogos/carta-porte/figura-transporte?limit=3&cursor=${primera.next_cursor}`, { token }));
    expect([...primera.data, ...segunda.data].map((f: { clave: string }) => f.clave)).toEqual(['01', '02', '03', '04', '05']);
    expect(segunda.next_cursor).toBeNull();
  });

  it('404s an unknown catalog naming the valid ones; 422s a bad limit or cursor; 401s without a key', async () => {
    const { token } = await createTenant();
    const err = await expectError(await api('GET', '/catalogos/carta-porte/colonia?q=roma', { token }), 404, 'catalogo_desconocido');
    expect(err.message).toContain('material-peligroso, tipo-embalaje, config-autotransporte');
    await expectError(await api('GET', '/catalogos/carta-porte/hasOwnProperty', { token }), 404, 'catalogo_desconocido');
    for (const [query, campo] of [['limit=0', 'limit'], ['limit=abc', 'limit'], ['q=x', 'q'], ['cursor=bm9wZQ', 'cursor']]) {
      const e = await expectError(await api('GET', `/catalogos/carta-porte/tipo-permiso?${query}`, { token }), 422, 'validation_error');
      expect(e.details.map((d) => d.path)).toContain(campo);
    }
    await expectError(await api('GET', '/catalogos/carta-porte/tipo-permiso?q=TPAF'), 401, 'missing_api_key');
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
