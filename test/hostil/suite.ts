import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../src/lib/middleware';
import { desreferenciar, generarCorpus, porClase, type Cuerpo, type Esquema } from './corpus';
import { diferencias, instantanea, type Instantanea } from './estado';
import { jsonDe, llamar, type Respuesta } from './llamar';
import { problemasDeError, rastroInterno, requestIdValido } from './oraculos';
import { RUTAS, type Contexto } from './rutas';

// The hostile-body run of test/workers/hostil*.test.ts: the creating routes of the OpenAPI document, split into
// parts so no single test file is CI's long tail (each part runs in its own workerd).

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

/** Every POST/PUT of the document, as the corpus sees them. */
export { operaciones };

/** Part `parte` (1-based) of `partes`: the routes in document order, dealt round-robin so the heavy ones spread. */
export function probarRutasHostiles(parte: number, partes: number): void {
  describe(`hostile bodies on every creating route (${parte}/${partes})`, () => {
    for (const { clave, metodo, path, op } of operaciones.filter((_, i) => i % partes === parte - 1)) {
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
}
