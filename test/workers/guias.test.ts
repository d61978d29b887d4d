/// <reference types="vite/client" />
import { env, exports } from 'cloudflare:workers';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { verifySignature } from '../../sdk/src/index';
import { interpolar, pasosDe, valorEn, type Paso } from '../guias';
import { createEmisor, waitFor } from '../helpers';
import { entregasDe, esperar, plataformaConKey, recibidas } from './webhooks-helpers';

// Every ```http step of every guide runs, in order, against the real Worker (D1, the stamping queue, R2, the
// webhook Durable Objects): a guide that goes stale fails here.

const GUIAS = import.meta.glob('../../docs/guias/*.md', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
const nombreDe = (ruta: string) => ruta.slice(ruta.lastIndexOf('/') + 1);

async function llamar(p: Paso, vars: Record<string, unknown>) {
  const headers = Object.fromEntries(Object.entries(p.headers).map(([k, v]) => [k, interpolar(v, vars)]));
  const body = p.cuerpo === undefined ? undefined : interpolar(p.cuerpo, vars);
  const res = await exports.default.fetch(new Request(`http://127.0.0.1:8787${interpolar(p.ruta, vars)}`, { method: p.metodo, headers, body }));
  const texto = new TextDecoder().decode(await res.arrayBuffer());
  let json: unknown = texto;
  try {
    json = JSON.parse(texto);
  } catch {
    // XML, PDF or an empty 204: kept as text.
  }
  return { res, json };
}

const cumple = (json: unknown, e: { campo: string; valor: string }, vars: Record<string, unknown>) =>
  String(valorEn(json, e.campo)) === interpolar(e.valor, vars);

/** Runs a guide's steps with a fresh issuer (SAT test CSD), its test key and a platform key; the named answers. */
async function ejecutar(markdown: string) {
  const [{ token }, plataforma] = await Promise.all([createEmisor(), plataformaConKey()]);
  const vars: Record<string, unknown> = {
    KEY: token,
    PLATFORM_KEY: plataforma.token,
    CSD_CER: env.TEST_CSD_CER,
    CSD_KEY: env.TEST_CSD_KEY,
    hoy: new Date(Date.now() - 6 * 3600e3).toISOString().slice(0, 10),
  };
  const pasos = pasosDe(markdown);
  for (const p of pasos) {
    const donde = `línea ${p.linea}: ${p.metodo} ${p.ruta}`;
    const { res, json } = p.cuando
      ? await waitFor(async () => {
          const r = await llamar(p, vars);
          return r.res.status === p.status && cumple(r.json, p.cuando!, vars) ? r : null;
        }, `${donde} cuando ${p.cuando.campo} = ${p.cuando.valor}`)
      : await llamar(p, vars);
    expect(res.status, `${donde} → ${JSON.stringify(json)}`).toBe(p.status);
    for (const [h, v] of Object.entries(p.encabezados)) expect(res.headers.get(h), `${donde}: ${h}`).toBe(interpolar(v, vars));
    for (const c of p.campos) expect(String(valorEn(json, c.campo)), `${donde}: ${c.campo}`).toBe(interpolar(c.valor, vars));
    if (p.nombre) vars[p.nombre] = json;
  }
  return { pasos, vars };
}

describe('docs/guias', () => {
  it('there are guides, and each one has steps', () => {
    expect(Object.keys(GUIAS).length).toBeGreaterThanOrEqual(8);
    for (const [ruta, md] of Object.entries(GUIAS)) if (nombreDe(ruta) !== 'README.md') expect(pasosDe(md).length, ruta).toBeGreaterThan(0);
  });

  for (const [ruta, md] of Object.entries(GUIAS).filter(([r]) => nombreDe(r) !== 'README.md')) {
    it(`${nombreDe(ruta)}: every step answers the status it states`, async () => {
      const { vars } = await ejecutar(md);
      // The webhook guide registers endpoints: each gets real signed deliveries, verified as the guide shows.
      const webhooks = Object.values(vars).filter((v): v is { id: string; url: string; secret: string } => typeof (v as { secret?: unknown })?.secret === 'string');
      for (const w of webhooks) {
        // Every delivery the guide caused (the redelivered one too) has reached the receiver once.
        const entregas = await esperar(() => entregasDe(vars.KEY as string, w.id), (l) => l.length > 0 && l.every((e) => e.status === 'entregada'));
        const llegadas = await esperar(() => recibidas(new URL(w.url).host), (l) => l.length === entregas.length);
        expect(llegadas.map((r) => r.headers['webhook-id']).sort()).toEqual(entregas.map((e) => e.evento_id).sort());
        for (const r of llegadas) {
          const conPaquete = new Webhook(w.secret).verify(r.body, r.headers) as { type: string };
          const conSdk = await verifySignature<{ type: string }>(r.body, r.headers, w.secret);
          expect(conSdk).toEqual(conPaquete);
          expect(() => new Webhook(w.secret).verify(r.body.replace('"type"', '"tipo"'), r.headers)).toThrow();
          await expect(verifySignature(`${r.body} `, r.headers, w.secret)).rejects.toThrow();
        }
      }
    });
  }
});
