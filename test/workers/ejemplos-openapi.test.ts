import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { EJEMPLO_CSD } from '../../src/routes/plataforma/plataforma.routes';
import { EJEMPLO_NOTA_CREDITO, EJEMPLO_RECIBO_NOMINA, MARCADORES } from '../../src/routes/ejemplos';
import { EJEMPLO_RECIBO } from '../../src/routes/recibos/recibos.routes';
import { esperarFin, facturaPPD, facturaTimbrada } from '../comprobantes';
import { claseDe } from '../../src/lib/rate-limit';
import { api, createEmisor, createKey, facturaBase, json } from '../helpers';
import { createPlataforma } from '../plataformas';
import { insertarRecibo } from '../recibos-prueba';

// Every operation that takes a JSON body documents one request example, and that example, sent as the docs'
// "Probar" sends it, succeeds against a sandbox application with the SAT test CSD (what `npm start` seeds). A
// MARCADOR (an object of the caller's own) is replaced by a real one made first, as a reader would.

type Json = Record<string, any>;

describe('documented request examples', () => {
  it('each one answers its documented success status', async () => {
    const { app, token } = await createEmisor();
    // a recibo of the period the example of POST /recibos/factura-global invoices (noviembre 2026)
    await insertarRecibo(app.id, { fecha: '2026-11-03T10:00:00' });
    const doc: Json = await json(await api('GET', '/openapi.json'));

    const pue = await facturaTimbrada(token, facturaBase());
    const ppd = await facturaTimbrada(token, facturaPPD());
    const xml = await (await api('GET', `/facturas/${pue.id}/xml`, { token })).text();
    const reemplazos: Record<string, string> = {
      [MARCADORES.uuidFacturaTimbrada]: pue.uuid,
      [MARCADORES.uuidFacturaPpd]: ppd.uuid,
      [MARCADORES.xmlCfdi]: xml,
      // the docs show the start of the SAT's test CSD; the call sends the whole files
      [EJEMPLO_CSD.cer_base64]: env.TEST_CSD_CER,
      [EJEMPLO_CSD.key_base64]: env.TEST_CSD_KEY,
    };
    const conValores = (ejemplo: unknown): unknown => JSON.parse(JSON.stringify(ejemplo), (_, v) => (typeof v === 'string' && v in reemplazos ? reemplazos[v] : v));

    // Path ids: an object of the kind the route acts on, made fresh so that no example consumes another's.
    const cliente = await json(await api('POST', '/clientes', { token, body: { rfc: 'XOJI740919U48', nombre: 'Ingrid Xodar Jimenez', domicilio_fiscal: '88965', regimen_fiscal: '612' } }));
    const webhook = await json(await api('POST', '/webhooks', { token, body: { url: 'https://example.com/hexafac', events: ['*'] } }));
    // the /plataforma operations are called with a platform key, on an application of that platform
    const plataforma = await createPlataforma();
    const tokenDe = (op: Json) => (op.security?.[0]?.platformAuth ? plataforma.token : token);
    const emisor = { name: 'Ejemplo', rfc: 'EKU9003173C9', razon_social: 'ESCUELA KEMPER URGATE', regimen_fiscal: '601', lugar_expedicion: '42501' };
    const nuevaAplicacion = async () => (await json(await api('POST', '/plataforma/aplicaciones', { token: plataforma.token, body: emisor }))).id as string;
    const idPara: Record<string, () => Promise<string>> = {
      '/facturas/{id}/cancelar': async () => (await facturaTimbrada(token, facturaBase())).id,
      '/facturas/{id}/sustituir': async () => (await facturaTimbrada(token, facturaBase())).id,
      '/recibos-nomina/{id}/cancelar': async () => {
        const r = await json(await api('POST', '/recibos-nomina', { token, body: EJEMPLO_RECIBO_NOMINA }));
        return (await esperarFin(token, '/facturas', r.id)).id;
      },
      '/facturas/{id}': async () => (await json(await api('POST', '/facturas', { token, body: { ...facturaBase(), borrador: true } }))).id,
      '/notas-credito/{id}': async () =>
        (await json(await api('POST', '/notas-credito', { token, body: { ...(conValores(EJEMPLO_NOTA_CREDITO) as object), borrador: true } }))).id,
      '/plataforma/webhooks/{id}': async () =>
        (await json(await api('POST', '/plataforma/webhooks', { token: plataforma.token, body: { url: 'https://example.com/plataforma', events: ['*'] } }))).id,
      '/plataforma/aplicaciones/{id}': nuevaAplicacion,
      '/plataforma/aplicaciones/{id}/marca': nuevaAplicacion,
      '/plataforma/aplicaciones/{id}/marca/logo': nuevaAplicacion,
      '/plataforma/aplicaciones/{id}/csd': nuevaAplicacion,
      '/plataforma/aplicaciones/{id}/api-keys': nuevaAplicacion,
      '/plataforma/aplicaciones/{id}/folios/{serie}': nuevaAplicacion,
      '/clientes/{id}': async () => cliente.id,
      '/webhooks/{id}': async () => webhook.id,
      // its own recibo: the example of POST /recibos already took that external_id
      '/recibos/{id}/facturar': async () => (await json(await api('POST', '/recibos', { token, body: { ...EJEMPLO_RECIBO, external_id: undefined } }))).id,
      // the comprobantes the examples of their creation stamped above (the document lists those paths first)
      '/facturas/{id}/enviar': async () => pue.id,
      '/notas-credito/{id}/enviar': async () => timbrados['/notas-credito']!,
      '/complementos-pago/{id}/enviar': async () => timbrados['/complementos-pago']!,
      '/traslados/{id}/cancelar': async () => timbrados['/traslados']!,
    };

    const timbrados: Record<string, string> = {};
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
          ruta = path.replace('{id}', await idPara[path]!()).replace('{serie}', 'PAC');
        }
        // a costosas operation gets a key of its own: its class allows 5 a minute per key, and the document has more
        const clave = claseDe(method.toUpperCase(), ruta) === 'costosas' ? await createKey(app.id) : tokenDe(op);
        const res = await api(method.toUpperCase(), ruta, { token: clave, body: conValores(ejemplo) });
        const cuerpo = await res.text();
        expect(exitos, `${label} answered ${res.status}: ${cuerpo}`).toContain(String(res.status));
        // A comprobante accepted for stamping is stamped: the example is fiscally right, not only well formed.
        if (res.status === 202 && /^\/(facturas|notas-credito|complementos-pago|recibos-nomina|traslados)$|sustituir$/.test(path)) {
          const r = JSON.parse(cuerpo);
          const fin = await esperarFin(token, '/facturas', r.id);
          expect(fin.status, `${label} ${JSON.stringify(fin.errores)}`).toBe('timbrada');
          timbrados[path] = r.id;
        }
        // A batch answers 202 whatever its items are: each item of the example is accepted and stamped.
        if (res.status === 202 && (path === '/lotes' || path === '/nominas')) {
          const items = JSON.parse(cuerpo)[path === '/lotes' ? 'items' : 'recibos'] as { status: string; id?: string; error?: unknown }[];
          for (const it of items) {
            expect(it.status, `${label} ${JSON.stringify(it.error)}`).toBe('aceptado');
            expect((await esperarFin(token, '/facturas', it.id!)).status, label).toBe('timbrada');
          }
        }
        probados++;
      }
    }
    expect(probados).toBeGreaterThanOrEqual(14);
  });
});
