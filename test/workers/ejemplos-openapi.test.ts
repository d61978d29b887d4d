import { describe, expect, it } from 'vitest';
import { MARCADORES } from '../../src/routes/ejemplos';
import { esperarFin, facturaPPD, facturaTimbrada } from '../comprobantes';
import { api, createEmisor, facturaBase, json } from '../helpers';

// Every operation that takes a JSON body documents one request example, and that example, sent as the docs'
// "Probar" sends it, succeeds against a sandbox application with the SAT test CSD (what `npm start` seeds). A
// MARCADOR (an object of the caller's own) is replaced by a real one made first, as a reader would.

type Json = Record<string, any>;

describe('documented request examples', () => {
  it('each one answers its documented success status', async () => {
    const { token } = await createEmisor();
    const doc: Json = await json(await api('GET', '/openapi.json'));

    const pue = await facturaTimbrada(token, facturaBase());
    const ppd = await facturaTimbrada(token, facturaPPD());
    const xml = await (await api('GET', `/facturas/${pue.id}/xml`, { token })).text();
    const reemplazos: Record<string, string> = {
      [MARCADORES.uuidFacturaTimbrada]: pue.uuid,
      [MARCADORES.uuidFacturaPpd]: ppd.uuid,
      [MARCADORES.xmlCfdi]: xml,
    };
    const conValores = (ejemplo: unknown): unknown => JSON.parse(JSON.stringify(ejemplo), (_, v) => (typeof v === 'string' && v in reemplazos ? reemplazos[v] : v));

    // Path ids: an object of the kind the route acts on, made fresh so that no example consumes another's.
    const cliente = await json(await api('POST', '/clientes', { token, body: { rfc: 'XOJI740919U48', nombre: 'Ingrid Xodar Jimenez', domicilio_fiscal: '88965', regimen_fiscal: '612' } }));
    const webhook = await json(await api('POST', '/webhooks', { token, body: { url: 'https://example.com/hexafac', events: ['*'] } }));
    const idPara: Record<string, () => Promise<string>> = {
      '/facturas/{id}/cancelar': async () => (await facturaTimbrada(token, facturaBase())).id,
      '/facturas/{id}/sustituir': async () => (await facturaTimbrada(token, facturaBase())).id,
      '/clientes/{id}': async () => cliente.id,
      '/webhooks/{id}': async () => webhook.id,
    };

    let probados = 0;
    for (const [path, item] of Object.entries(doc.paths as Json)) {
      for (const [method, op] of Object.entries(item as Json)) {
        const contenido = op.requestBody?.content?.['application/json'];
        if (!contenido) continue;
        const label = `${method.toUpperCase()} ${path}`;
        const ejemplo = contenido.example ?? doc.components.schemas[contenido.schema.$ref?.split('/').pop()]?.example;
        expect(ejemplo, `${label} documents a request example`).toBeDefined();
        const exitos = Object.keys(op.responses).filter((s) => s.startsWith('2'));
        let ruta = path;
        if (path.includes('{id}')) {
          expect(idPara[path], `${label}: which object its {id} is`).toBeDefined();
          ruta = path.replace('{id}', await idPara[path]!());
        }
        const res = await api(method.toUpperCase(), ruta, { token, body: conValores(ejemplo) });
        const cuerpo = await res.text();
        expect(exitos, `${label} answered ${res.status}: ${cuerpo}`).toContain(String(res.status));
        // A comprobante accepted for stamping is stamped: the example is fiscally right, not only well formed.
        if (res.status === 202 && /^\/(facturas|notas-credito|complementos-pago)$|sustituir$/.test(path)) {
          const r = JSON.parse(cuerpo);
          const fin = await esperarFin(token, '/facturas', r.id);
          expect(fin.status, `${label} ${JSON.stringify(fin.errores)}`).toBe('timbrada');
        }
        probados++;
      }
    }
    expect(probados).toBeGreaterThanOrEqual(14);
  });
});
