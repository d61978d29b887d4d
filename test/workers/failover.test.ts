// Issue 14: failover without double stamping, on the real queue consumer, D1, R2 and the breaker's Durable
// Object. The two sandbox PACs stand in for SW and Finkok; their failures are the documented triggers of
// X-HexaFac-Simular, and where a test needs both PACs down at once, a fake of the network in front of them.
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '../../src/db/client';
import { facturas } from '../../src/db/schema';
import { depsDe, type Deps } from '../../src/deps';
import { barrer } from '../../src/jobs/barrido';
import { procesarFactura } from '../../src/jobs/procesar-factura';
import { sha256Hex } from '../../src/lib/crypto';
import { ESPERA_ABIERTO_MS, FALLOS_PARA_ABRIR } from '../../src/pac/failover';
import type { PacAdapter } from '../../src/pac/types';
import { esperarFin } from '../comprobantes';
import { api, createEmisor, facturaBase, insertarFactura, json, pacCon, pacsCon, sandboxPac } from '../helpers';

const fila = async (id: string) => (await getDb(env).select().from(facturas).where(eq(facturas.id, id)).get())!;

const emitir = async (token: string, simular?: string) => {
  const res = await api('POST', '/facturas', { token, body: facturaBase(), ...(simular ? { headers: { 'X-HexaFac-Simular': simular } } : {}) });
  expect(res.status).toBe(202);
  return (await json(res)).id as string;
};

/** Whether a sandbox PAC holds a stamp of this sealed CFDI (its own records, as a PAC's). */
async function tieneTimbre(nombre: string, xmlTimbrado: string): Promise<boolean> {
  const sello = /\bSello="([^"]+)"/.exec(xmlTimbrado)![1]!;
  const prefijo = nombre === 'sandbox' ? 'sandbox-pac' : `sandbox-pac/${nombre}`;
  return (await env.CFDI_BUCKET.head(`${prefijo}/timbres/${await sha256Hex(sello)}.xml`)) !== null;
}

describe('failover across the sandbox PACs', () => {
  it('A down → B stamps at once; the invoice says which PAC stamped it', async () => {
    const { token } = await createEmisor();
    const id = await emitir(token, 'pac-caido=600');
    const f = await esperarFin(token, '/facturas', id);
    expect(f).toMatchObject({ status: 'timbrada', pac: 'sandbox-respaldo' });
    // the next invoice, without the trigger, also goes to B while A is down for this application
    const otra = await esperarFin(token, '/facturas', await emitir(token));
    expect(otra).toMatchObject({ status: 'timbrada', pac: 'sandbox-respaldo' });
    // another application is not affected by this one's outage
    const ajeno = await createEmisor();
    expect(await esperarFin(ajeno.token, '/facturas', await emitir(ajeno.token))).toMatchObject({ status: 'timbrada', pac: 'sandbox' });
  });

  it('A times out after stamping → the stamp is recovered from A and the CFDI is never sent to B', async () => {
    const { app } = await createEmisor();
    const id = await insertarFactura(app.id, { simulacion: { timbrado: 'timeout_tras_timbrar' } });
    const deps = depsDe(env);

    expect(await procesarFactura(deps, id, 1)).toEqual({ action: 'ack' });
    const esperando = await fila(id);
    expect(esperando).toMatchObject({ status: 'pendiente', pac_incierto: 'sandbox', intentos: 1 });
    expect(esperando.errores?.[0]?.code).toBe('pac_incierto');

    expect(await procesarFactura(deps, id, 1)).toEqual({ action: 'ack' });
    const timbrada = await fila(id);
    expect(timbrada).toMatchObject({ status: 'timbrada', pac: 'sandbox', pac_incierto: null });
    const xml = await (await env.CFDI_BUCKET.get(timbrada.xml_key!))!.text();
    expect(await tieneTimbre('sandbox', xml)).toBe(true);
    expect(await tieneTimbre('sandbox-respaldo', xml)).toBe(false);
  });

  it('an uncertain answer with A still unreachable waits for A: B never sees the CFDI', async () => {
    const { app } = await createEmisor();
    const id = await insertarFactura(app.id, { simulacion: { timbrado: 'timeout_tras_timbrar' } });
    await procesarFactura(depsDe(env), id, 1);
    // A goes down for this application (another invoice's trigger), then the uncertain one is retried
    const otra = await insertarFactura(app.id, { simulacion: { pacCaidoSegundos: 600 } });
    await procesarFactura(depsDe(env), otra, 1);
    expect(await fila(otra)).toMatchObject({ status: 'timbrada', pac: 'sandbox-respaldo' });

    expect(await procesarFactura(depsDe(env), id, 1)).toEqual({ action: 'ack' });
    const f = await fila(id);
    expect(f).toMatchObject({ status: 'pendiente', pac_incierto: 'sandbox', uuid: null });
    expect(f.errores?.[0]?.code).toBe('pac_incierto');
  });

  it('A flapping: the breaker opens after repeated failures (A is not called), then a probe closes it', async () => {
    const { app } = await createEmisor();
    let ahora = Date.parse('2026-12-02T12:00:00Z');
    const clock = () => new Date(ahora);
    const deps = () => depsDe(env, undefined, { clock });
    // A down for 60 s for this application, from the first invoice on
    const ids = [await insertarFactura(app.id, { simulacion: { pacCaidoSegundos: 60 } }, { ahora: clock() })];
    for (let i = 1; i < FALLOS_PARA_ABRIR + 2; i++) ids.push(await insertarFactura(app.id, {}, { ahora: clock() }));
    for (const id of ids) await procesarFactura(deps(), id, 1);
    for (const id of ids) expect(await fila(id)).toMatchObject({ status: 'timbrada', pac: 'sandbox-respaldo' });
    const foto = () => deps().pacs.foto('test', app.id, 'sandbox');
    expect(await foto()).toMatchObject({ estado: 'abierto', fallos: FALLOS_PARA_ABRIR });

    // open for ESPERA_ABIERTO_MS, then half-open: A is still down, so the probe fails and it opens again
    ahora += ESPERA_ABIERTO_MS + 1;
    await procesarFactura(deps(), await insertarFactura(app.id, {}, { ahora: clock() }), 1);
    expect((await foto()).estado).toBe('abierto');

    // A is back (its 60 s are over): the next probe stamps at A and closes the breaker
    ahora += 60_000;
    const vuelta = await insertarFactura(app.id, {}, { ahora: clock() });
    await procesarFactura(deps(), vuelta, 1);
    expect(await fila(vuelta)).toMatchObject({ status: 'timbrada', pac: 'sandbox' });
    expect(await foto()).toMatchObject({ estado: 'cerrado', fallos: 0 });
  });
});

/** The network in front of a PAC: `caida` refuses every connection (the request never arrives). */
function conRed(pac: PacAdapter, red: { caida: boolean }): PacAdapter {
  const rechazo = { code: 'red', message: 'Error de red: connection refused' };
  return pacCon(pac, {
    timbrar: (xml, o) => (red.caida ? Promise.resolve({ ok: false, tipo: 'no_timbrado', causa: 'servicio', errores: [rechazo] }) : pac.timbrar(xml, o)),
    buscarTimbre: (xml, o) => (red.caida ? Promise.resolve({ estado: 'desconocido', errores: [rechazo] }) : pac.buscarTimbre(xml, o)),
  });
}

describe('both PACs down', () => {
  it('the invoice waits as pendiente with the reason, past the queue retries, and stamps when one returns', async () => {
    const { app } = await createEmisor();
    const red = { caida: true };
    let ahora = Date.now();
    const clock = () => new Date(ahora);
    const pacs = pacsCon([conRed(sandboxPac(clock, 'sandbox-uno'), red), conRed(sandboxPac(clock, 'sandbox-dos'), red)], { clock });
    const deps: Deps = depsDe(env, undefined, { pacs, clock });
    const id = await insertarFactura(app.id, {}, { ahora: clock() });

    // more tries than the queue's max_retries: each one leaves a fresh delayed message, never the dead-letter queue
    for (let intento = 1; intento <= 8; intento++) expect(await procesarFactura(deps, id, 1)).toEqual({ action: 'ack' });
    const esperando = await fila(id);
    expect(esperando).toMatchObject({ status: 'pendiente', intentos: 8, pac_incierto: null });
    expect(esperando.errores!.map((e) => e.message).join(' ')).toMatch(/sandbox-uno: .*(connection refused|fuera de servicio).*sandbox-dos: .*(connection refused|fuera de servicio)/s);

    // both breakers opened meanwhile: the PACs' return is noticed by the probe once their wait is over
    red.caida = false;
    await procesarFactura(deps, id, 1);
    expect(await fila(id)).toMatchObject({ status: 'pendiente' });
    ahora += ESPERA_ABIERTO_MS + 1;
    await procesarFactura(deps, id, 1);
    expect(await fila(id)).toMatchObject({ status: 'timbrada', pac: 'sandbox-uno' });
  });

  it('the cron safety net re-sends a pendiente whose message was lost while the PACs were down', async () => {
    const { app } = await createEmisor();
    const hace = new Date(Date.now() - 3_600_000).toISOString();
    const id = await insertarFactura(app.id, { intentos: 3, updated_at: hace, errores: [{ code: 'red', message: 'caído' }] });
    expect((await barrer(depsDe(env))).reencolados).toBeGreaterThanOrEqual(1);
    // the consumer picks the re-sent message up: the row leaves pendiente
    await expect
      .poll(async () => (await fila(id)).status, { timeout: 20_000 })
      .toBe('timbrada');
  });
});
