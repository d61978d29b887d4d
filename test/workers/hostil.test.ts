import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../src/lib/middleware';
import { CLASES, desreferenciar, generarCorpus, porClase, type Cuerpo, type Esquema } from '../hostil/corpus';
import { diferencias, instantanea, type Instantanea } from '../hostil/estado';
import { jsonDe, llamar, type Respuesta } from '../hostil/llamar';
import { caracterNoXml, problemaContentDisposition, problemasDeError, rastroInterno, requestIdValido } from '../hostil/oraculos';
import { RUTAS, type Contexto } from '../hostil/rutas';

// Issue 13's security and reliability suite: a generated hostile-body corpus (test/hostil/corpus.ts) for every
// creating route the OpenAPI document lists, through the real Worker with a real key. For each body: never a
// 5xx, no internals in the answer, a status the route documents; a 4xx is the one error shape and leaves every
// table (and the tenant's R2 files) as it was; a 2xx is followed up by the route's hook (test/hostil/rutas.ts):
// a comprobante is stamped into XML that is XML 1.0, reads, verifies, reaches CI's oracle and downloads.
// Failures are collected per route and listed together, with the request, in test/output/hostil/<ruta>.json.

const doc = jsonDe(await llamar('GET', '/openapi.json'));
const componentes = doc.components.schemas as Record<string, Esquema>;
const METODOS_QUE_CREAN = ['post', 'put'];
const operaciones = Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, item]) =>
  METODOS_QUE_CREAN.filter((m) => item[m]).map((m) => ({ clave: `${m.toUpperCase()} ${path}`, metodo: m.toUpperCase(), path, op: item[m] })),
);

interface Falla {
  cuerpo: string;
  que: string;
  /** The request as sent, for a reproduction: its headers, parameters and the first bytes of the body. */
  peticion: string;
}

const ruta = (path: string, ctx: Contexto, c: Cuerpo) => path.replace(/\{(\w+)\}/g, (_, p: string) => c.parametros?.[p] ?? ctx.parametros[p] ?? `{${p}}`);
const enviar = (metodo: string, path: string, ctx: Contexto, c: Cuerpo, token: string) =>
  llamar(metodo, ruta(path, ctx, c), { token, body: c.bytes, headers: c.headers, contentType: c.contentType });

const contaminado = () => Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted') || ({} as Record<string, unknown>).polluted !== undefined;

/** Snapshots that differ may still be settling (a refused request deletes its R2 copy after answering). */
async function igualQue(antes: Instantanea, apps: string[]): Promise<{ dif: string[]; ahora: Instantanea }> {
  let dif: string[] = [];
  let ahora = antes;
  for (let i = 0; i < 10; i++) {
    ahora = await instantanea(apps);
    dif = diferencias(antes, ahora);
    if (dif.length === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return { dif, ahora };
}

const cuerpoJson = (r: Respuesta) => {
  try {
    return JSON.parse(r.texto);
  } catch {
    return undefined;
  }
};

describe('the oracles and the corpus', () => {
  it('the oracles catch what they are for (they are not no-ops)', () => {
    expect(caracterNoXml('<a b="x\u0001"/>')).toMatch(/U\+0001/);
    expect(caracterNoXml('<a b="\uD800"/>')).toMatch(/U\+D800/);
    expect(caracterNoXml('<a b="\uFFFE"/>')).toMatch(/U\+FFFE/);
    expect(caracterNoXml('<a b="ñ 😀 \t"/>')).toBeNull();
    expect(problemaContentDisposition('attachment; filename="F1-abc.xml"')).toBeNull();
    expect(problemaContentDisposition(`attachment; filename="a.xml"; filename*=UTF-8''a%20b.xml`)).toBeNull();
    expect(problemaContentDisposition('attachment; filename=""; filename="evil.exe".xml"')).not.toBeNull();
    expect(problemaContentDisposition('attachment; filename="a"b.xml"')).not.toBeNull();
    expect(problemasDeError('{"error":{"code":"x","message":"m","details":[],"request_id":"r"}}', 'r', 'application/json')).toEqual([]);
    expect(problemasDeError('{"error":{"code":"x","message":"m","details":[],"request_id":"r","stack":"s"}}', 'r', 'application/json')).not.toEqual([]);
    expect(problemasDeError('{"error":{"code":"x","message":"m","details":[{"path":"a"}],"request_id":"r"}}', 'r', 'application/json')).not.toEqual([]);
    expect(problemasDeError('{"message":"Internal Server Error"}', 'r', 'application/json')).not.toEqual([]);
    expect(rastroInterno('TypeError: x\n    at f (/work/main/src/a.ts:1:2)', '')).not.toBeNull();
    expect(rastroInterno('El nombre ../../etc/passwd no es válido', '../../etc/passwd')).toBeNull();
    expect(requestIdValido('<script>')).toBe(false);
  });

  it('is deterministic and, over the routes, covers every class', () => {
    const base = { a: 'texto libre', b: '1.00', c: [{ d: 'x' }] };
    const uno = generarCorpus({ ruta: 'POST /x', base, limiteBytes: 1024, parametros: ['id'], idempotente: true });
    const otro = generarCorpus({ ruta: 'POST /x', base, limiteBytes: 1024, parametros: ['id'], idempotente: true });
    expect(otro.map((c) => c.id)).toEqual(uno.map((c) => c.id));
    expect(otro.map((c) => [...c.bytes].join())).toEqual(uno.map((c) => [...c.bytes].join()));
    expect(Object.keys(porClase(uno)).sort()).toEqual([...CLASES].filter((c) => c !== 'fecha').sort());
  });
});

describe('hostile bodies on every creating route', () => {
  it('every POST/PUT of the OpenAPI document has a base body in test/hostil/rutas.ts', () => {
    const sinBase = operaciones.filter((o) => !RUTAS[o.clave]).map((o) => o.clave);
    expect(sinBase, 'routes with no base body: add them to RUTAS in test/hostil/rutas.ts').toEqual([]);
    expect(operaciones.length).toBeGreaterThanOrEqual(6);
  });

  for (const { clave, metodo, path, op } of operaciones) {
    it(
      clave,
      async () => {
        const preparar = RUTAS[clave];
        expect(preparar, `${clave} has no base body in test/hostil/rutas.ts`).toBeDefined();
        const ctx = await preparar!();
        const inicio = Date.now();
        const cuerpos = generarCorpus({
          ruta: clave,
          base: ctx.base,
          esquema: desreferenciar(op.requestBody?.content?.['application/json']?.schema, componentes),
          limiteBytes: MAX_BODY_BYTES,
          parametros: ((op.parameters ?? []) as { in: string; name: string }[]).filter((p) => p.in === 'path').map((p) => p.name),
          muestras: ctx.muestras,
          idempotente: !ctx.sinIdempotencia,
        });
        const documentados = new Set(Object.keys(op.responses ?? {}).map(Number));
        const fallas: Falla[] = [];
        const estados: Record<number, number> = {};
        const aceptados: { n: number; cuerpo: string }[] = [];
        let antes: Instantanea | null = null;

        for (const [n, c] of cuerpos.entries()) {
          const peticionTexto = new TextDecoder().decode(c.bytes);
          const falla = (que: string) =>
            fallas.push({
              cuerpo: c.id,
              que,
              peticion: `${JSON.stringify({ ...c.headers, 'Content-Type': c.contentType, ...(c.parametros ? { parametros: c.parametros } : {}) })} ${peticionTexto.slice(0, 600)}${peticionTexto.length > 600 ? `… (${c.bytes.length} bytes)` : ''}`,
            });
          // A key minted for this body is a new row: the snapshot a refusal is compared with is taken after it.
          const token = ctx.tokenPorCuerpo ? await ctx.tokenPorCuerpo() : ctx.token;
          if (ctx.tokenPorCuerpo) antes = null;
          antes ??= await instantanea(ctx.apps);
          const res = await enviar(metodo, path, ctx, c, token);
          estados[res.status] = (estados[res.status] ?? 0) + 1;
          const rid = res.headers.get('X-Request-Id');

          if (n === 0 && (res.status < 200 || res.status >= 300)) falla(`la base válida no fue aceptada: ${res.status} ${res.texto.slice(0, 300)}`);
          if (res.status >= 500) falla(`${res.status}: ${res.texto.slice(0, 300)}`);
          const rastro = rastroInterno(res.texto, peticionTexto);
          if (rastro) falla(`detalle interno en la respuesta (${res.status}): ${rastro}`);
          if (!requestIdValido(rid)) falla(`X-Request-Id ${JSON.stringify(rid)}`);
          // A path parameter `..` is a dot-segment: the URL resolves to another path, whose 405 is not this route's.
          const otraRuta = res.status === 405 && Object.values(c.parametros ?? {}).includes('..');
          if (!documentados.has(res.status) && !otraRuta) falla(`status ${res.status} no documentado (documentados: ${[...documentados].join(', ')})`);
          if (contaminado()) {
            falla('Object.prototype contaminado');
            delete (Object.prototype as Record<string, unknown>).polluted;
          }

          if (res.status >= 400 && res.status < 500) {
            for (const p of problemasDeError(res.texto, rid, res.headers.get('Content-Type'))) falla(`${res.status} sin la forma de error: ${p}`);
            const { dif, ahora } = await igualQue(antes, ctx.apps);
            if (dif.length) falla(`${res.status} pero cambió el estado: ${dif.join('; ')}`);
            antes = ahora;
            continue;
          }
          antes = null;
          if (res.status < 200 || res.status >= 300) {
            if (res.status < 500) falla(`status inesperado ${res.status}`);
            continue;
          }

          aceptados.push({ n, cuerpo: c.id });
          const body = cuerpoJson(res);
          if (body === undefined) falla(`${res.status} con un cuerpo que no es JSON: ${res.texto.slice(0, 200)}`);
          if (c.repetir) {
            // The same key and body again: the stored answer, replayed, and nothing new.
            const medio = await instantanea(ctx.apps);
            const otra = await enviar(metodo, path, ctx, c, token);
            const otroBody = cuerpoJson(otra);
            if (otra.status !== res.status) falla(`repetida con la misma Idempotency-Key → ${otra.status} (la primera ${res.status}): ${otra.texto.slice(0, 200)}`);
            if (otra.headers.get('Idempotent-Replayed') !== 'true') falla('repetida con la misma Idempotency-Key: sin Idempotent-Replayed: true');
            const dif = diferencias(medio, await instantanea(ctx.apps));
            if (dif.length) falla(`repetida con la misma Idempotency-Key creó otra vez: ${dif.join('; ')}`);
            if (otroBody?.id !== body?.id) falla(`repetida con la misma Idempotency-Key respondió otro id (${otroBody?.id} en vez de ${body?.id})`);
            if (otra.status >= 200 && otra.status < 300 && otroBody?.id && otroBody.id !== body?.id) {
              for (const p of await ctx.tras2xx({ status: otra.status, body: otroBody, n: n + 100_000, cuerpo: c })) falla(p);
            }
          }
          for (const p of await ctx.tras2xx({ status: res.status, body, n, cuerpo: c })) falla(p);
        }

        const segundos = ((Date.now() - inicio) / 1000).toFixed(1);
        console.log(
          `[hostil] ${clave}: ${cuerpos.length} cuerpos en ${segundos} s; status ${JSON.stringify(estados)}; por clase ${JSON.stringify(porClase(cuerpos))}; ${fallas.length} fallas`,
        );
        const slug = clave.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase();
        const informe = { ruta: clave, cuerpos: cuerpos.length, por_clase: porClase(cuerpos), estados, aceptados, fallas };
        await env.TEST_OUTPUT.fetch(`http://output/hostil/${slug}.json`, { method: 'PUT', body: JSON.stringify(informe, null, 2) });
        expect(fallas.map((f) => `${f.cuerpo} → ${f.que}`)).toEqual([]);
      },
      120_000,
    );
  }
});
