import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, createEmisor, expectError, guardarParaOraculo, json, waitFor } from '../../../test/helpers';
import { esperarFin, nodos } from '../../../test/comprobantes';
import { depsDe } from '../../deps';
import { uuidv7 } from '../../lib/ids';
import { cargarComprobante, datosDe } from '../../services/comprobantes';
import { EJEMPLO_FLETE, EJEMPLO_TRASLADO } from '../comprobantes.carta-porte';

const crear = (token: string, body: unknown, headers?: Record<string, string>) => api('POST', '/traslados', { token, body, headers });
const copia = <T>(x: T): T => structuredClone(x);

/** The request as stored for the stamping job (in the row, or in R2 when large). */
async function guardado(applicationId: string, id: string) {
  const deps = depsDe(env);
  return datosDe(deps, await cargarComprobante(deps, { applicationId, mode: 'test' }, id)) as Promise<{ carta_porte: { id_ccp: string } }>;
}

describe('POST /traslados — happy', () => {
  let emisor: Awaited<ReturnType<typeof createEmisor>>;
  let traslado: any;
  let xml: string;
  beforeAll(async () => {
    emisor = await createEmisor();
    const res = await crear(emisor.token, EJEMPLO_TRASLADO);
    expect(res.status).toBe(202);
    expect(res.headers.get('Location')).toMatch(/\/traslados\/[0-9a-f-]{36}$/);
    traslado = await esperarFin(emisor.token, '/traslados', (await json(res)).id);
    xml = await (await api('GET', `/traslados/${traslado.id}/xml`, { token: emisor.token })).text();
  });

  it('is stamped as a tipo T with the computed Carta Porte, and the XML carries the IdCCP kept in the stored request', async () => {
    expect(traslado).toMatchObject({ status: 'timbrada', tipo: 'T', serie: 'T', moneda: 'XXX', subtotal: '0', total: '0', metodo_pago: null });
    expect(traslado.historial.map((e: any) => e.type)).toEqual(['traslado.creada', 'traslado.timbrado']);
    await guardarParaOraculo('api-traslado-dos-destinos', xml);
    const [cp] = nodos(xml, 'CartaPorte');
    // 905.5 + 212.25 km; 75.300 + 60.125 kg
    expect(cp).toMatchObject({ Version: '3.1', TotalDistRec: '1117.75', TranspInternac: 'No' });
    expect(nodos(xml, 'Mercancias')[0]).toMatchObject({ PesoBrutoTotal: '135.425', NumTotalMercancias: '2', UnidadPeso: 'KGM' });
    expect(nodos(xml, 'Remolque')).toEqual([{ SubTipoRem: 'CTR004', Placa: '752WZ8' }]);
    expect(cp!.IdCCP).toMatch(/^CCC[0-9a-f]{5}-/);
    expect((await guardado(emisor.app.id, traslado.id)).carta_porte.id_ccp).toBe(cp!.IdCCP);
  });

  it('lists, downloads its PDF, and a factura id is not a traslado', async () => {
    const lista = await json(await api('GET', '/traslados?status=timbrada', { token: emisor.token }));
    expect(lista.data.map((t: any) => t.id)).toEqual([traslado.id]);
    expect(lista.data[0].links.self).toMatch(new RegExp(`/traslados/${traslado.id}$`));
    const pdf = await api('GET', `/traslados/${traslado.id}/pdf`, { token: emisor.token });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('Content-Type')).toBe('application/pdf');
    expect(new TextDecoder().decode((await pdf.arrayBuffer()).slice(0, 5))).toBe('%PDF-');
  });

  it('a freight factura with carta_porte (IVA 16 %, IVA retenido 4 %) is stamped with its IdCCP kept too', async () => {
    const res = await api('POST', '/facturas', { token: emisor.token, body: EJEMPLO_FLETE });
    expect(res.status).toBe(202);
    const f = await esperarFin(emisor.token, '/facturas', (await json(res)).id);
    expect(f).toMatchObject({ status: 'timbrada', tipo: 'I', total: '20720.00' });
    const fxml = await (await api('GET', `/facturas/${f.id}/xml`, { token: emisor.token })).text();
    await guardarParaOraculo('api-factura-flete-carta-porte', fxml);
    expect(nodos(fxml, 'Impuestos').at(-1)).toEqual({ TotalImpuestosRetenidos: '740.00', TotalImpuestosTrasladados: '2960.00' });
    expect((await guardado(emisor.app.id, f.id)).carta_porte.id_ccp).toBe(nodos(fxml, 'CartaPorte')[0]!.IdCCP);
    // the freight invoice is not a traslado
    await expectError(await api('GET', `/traslados/${f.id}`, { token: emisor.token }), 404, 'not_found');
    await expectError(await api('GET', `/traslados/${f.id}/xml`, { token: emisor.token }), 404, 'not_found');
  });

  it('keeps an IdCCP the client gives (an earlier attempt), and validar computes without storing', async () => {
    const body = copia(EJEMPLO_TRASLADO);
    const idCcp = 'CCCeafcc-de9d-46bd-a2fc-1b2e4727d1e5';
    body.carta_porte = { ...body.carta_porte, id_ccp: idCcp } as typeof body.carta_porte;
    const v = await json(await api('POST', '/traslados/validar', { token: emisor.token, body }));
    expect(v).toMatchObject({ valido: true, errores: [], comprobante: { tipo_de_comprobante: 'T', total: '0', serie: 'T' } });
    expect(v.comprobante.complementos[0]).toContain(`IdCCP="${idCcp}"`);
    expect((await json(await api('GET', '/traslados', { token: emisor.token }))).data).toHaveLength(1);
  });

  it('cancels through POST /traslados/{id}/cancelar (no acceptance for a T)', async () => {
    const res = await api('POST', `/traslados/${traslado.id}/cancelar`, { token: emisor.token, body: { motivo: '02' } });
    expect(res.status).toBe(202);
    expect((await json(res)).status).toBe('cancelacion_pendiente');
    const fin = await waitFor(async () => {
      const t = await json(await api('GET', `/traslados/${traslado.id}`, { token: emisor.token }));
      return t.status !== 'cancelacion_pendiente' && t;
    }, 'traslado cancelled');
    expect(fin.status).toBe('cancelada');
    expect(fin.historial.map((e: any) => e.type)).toContain('traslado.cancelado');
  });
});

describe('POST /traslados — errors', () => {
  it('a Carta Porte rule is a 422 with its SAT code and path, and nothing is stored', async () => {
    const { token } = await createEmisor();
    const body = copia(EJEMPLO_TRASLADO);
    // CP107: with Carta Porte the receptor of a traslado is the issuer itself
    body.receptor = { rfc: 'URE180429TM6', nombre: 'UNIVERSIDAD ROBOTICA ESPAÑOLA', domicilio_fiscal: '86991', regimen_fiscal: '601', uso_cfdi: 'S01' };
    body.carta_porte.ubicaciones[1]!.domicilio!.estado = 'ZZZ';
    const e = await expectError(await crear(token, body), 422, 'validation_error');
    expect(e.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'receptor.rfc', code: 'CP107' })]));
    expect(e.details.some((d) => d.path === 'carta_porte.ubicaciones[1].domicilio.estado')).toBe(true);
    expect((await json(await api('GET', '/traslados', { token }))).data).toEqual([]);
  });

  it('marítimo, aéreo and ferroviario are refused by name; price, forma_pago and a shape error are reported together', async () => {
    const { token } = await createEmisor();
    const body: any = copia(EJEMPLO_TRASLADO);
    body.carta_porte.mercancias.transporte_maritimo = { perm_sct: 'TPTM01' };
    body.forma_pago = '01';
    body.conceptos[0].valor_unitario = '10.00';
    body.carta_porte.mercancias.mercancia[0].peso_en_kg = 'mucho';
    const e = await expectError(await crear(token, body), 422, 'validation_error');
    const por = Object.fromEntries(e.details.map((d) => [d.path, d.code]));
    expect(por).toMatchObject({
      'carta_porte.mercancias.transporte_maritimo': 'HFX_TRANSPORTE_NO_SOPORTADO',
      forma_pago: 'CFDI40103',
      'conceptos[0].valor_unitario': 'CP102',
    });
    expect(e.details.find((d) => d.path === 'carta_porte.mercancias.transporte_maritimo')!.message).toContain('autotransporte');
    expect(por).toHaveProperty(['carta_porte.mercancias.mercancia[0].peso_en_kg']);
    // validar answers the same problems with a 200
    const v = await json(await api('POST', '/traslados/validar', { token, body }));
    expect(v.valido).toBe(false);
    expect(v.errores.map((d: any) => d.path)).toEqual(expect.arrayContaining(['forma_pago', 'carta_porte.mercancias.transporte_maritimo']));
  });
});

describe('traslados — security', () => {
  it('401 without a key or with a wrong one, 403 without the scope', async () => {
    await expectError(await crear('', EJEMPLO_TRASLADO), 401);
    await expectError(await crear('hfx_test_nope', EJEMPLO_TRASLADO), 401);
    const r = await createEmisor({ scopes: ['facturas:read'] });
    await expectError(await crear(r.token, EJEMPLO_TRASLADO), 403, 'insufficient_scope');
    await expectError(await api('POST', `/traslados/${uuidv7()}/cancelar`, { token: r.token, body: { motivo: '02' } }), 403, 'insufficient_scope');
    const w = await createEmisor({ scopes: ['facturas:write'] });
    await expectError(await api('GET', `/traslados/${uuidv7()}`, { token: w.token }), 403, 'insufficient_scope');
    await expectError(await api('GET', '/traslados', { token: w.token }), 403, 'insufficient_scope');
  });

  it('the traslado of another application is a 404 everywhere, and nothing changes', async () => {
    const a = await createEmisor();
    const b = await createEmisor();
    const t = await esperarFin(a.token, '/traslados', (await json(await crear(a.token, EJEMPLO_TRASLADO))).id);
    for (const ruta of [`/traslados/${t.id}`, `/traslados/${t.uuid}`, `/traslados/${t.id}/xml`, `/traslados/${t.id}/pdf`]) {
      await expectError(await api('GET', ruta, { token: b.token }), 404, 'not_found');
    }
    await expectError(await api('POST', `/traslados/${t.id}/cancelar`, { token: b.token, body: { motivo: '02' } }), 404, 'not_found');
    expect((await json(await api('GET', '/traslados', { token: b.token }))).data).toEqual([]);
    expect((await json(await api('GET', `/traslados/${t.id}`, { token: a.token }))).status).toBe('timbrada');
  });
});

describe('GET /openapi.json — carta_porte', () => {
  type Esquema = { $ref?: string; description?: string; properties?: Record<string, Esquema>; items?: Esquema; anyOf?: Esquema[]; oneOf?: Esquema[]; allOf?: Esquema[] };

  it('describes every field of carta_porte in the bodies of POST /facturas and POST /traslados', async () => {
    const doc = await json(await api('GET', '/openapi.json'));
    const resolver = (s: Esquema): Esquema => (s.$ref ? resolver(doc.components.schemas[s.$ref.replace('#/components/schemas/', '')]) : s);
    // A schema and the branches of its unions (a nullable field is anyOf [T, null]; a body may be oneOf).
    const variantes = (s: Esquema): Esquema[] => [s, ...[...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? [])].flatMap((v) => variantes(resolver(v)))];
    const campos: string[] = [];
    const sinDescripcion = (s: Esquema, ruta: string): string[] => {
      campos.push(ruta);
      const r = resolver(s);
      return [
        ...(s.description || r.description ? [] : [ruta]),
        ...variantes(r).flatMap((v) => [
          ...Object.entries(v.properties ?? {}).flatMap(([k, hijo]) => sinDescripcion(hijo, `${ruta}.${k}`)),
          // An array's items are described by the array's own text unless they are objects.
          ...(v.items ? sinDescripcion(v.items, `${ruta}[]`).filter((p) => p !== `${ruta}[]`) : []),
        ]),
      ];
    };
    for (const ruta of ['/facturas', '/traslados']) {
      const cuerpo = resolver(doc.paths[ruta].post.requestBody.content['application/json'].schema);
      const cp = variantes(cuerpo).map((v) => v.properties?.carta_porte).find(Boolean);
      expect(cp, `${ruta} has carta_porte`).toBeDefined();
      campos.length = 0;
      expect(sinDescripcion(cp!, 'carta_porte'), ruta).toEqual([]);
      expect(campos).toContain('carta_porte.mercancias.autotransporte.identificacion_vehicular.config_vehicular');
    }
  });
});
