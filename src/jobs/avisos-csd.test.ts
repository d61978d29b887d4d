import { env } from 'cloudflare:workers';
import { and, asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { api, cargarCsdDePrueba, createKey, createTenant, json } from '../../test/helpers';
import { esperar, hostUnico, plataformaConWebhook, recibidas, verificaStandardWebhooks } from '../../test/workers/webhooks-helpers';
import { getDb } from '../db/client';
import { clientApplications, eventos } from '../db/schema';
import { depsDe } from '../deps';
import { DAY, HOUR } from '../lib/time';
import { avisarCsd } from './avisos-csd';

// The cron's CSD-expiry notices: each threshold once per certificate, whatever runs repeat or overlap.

const db = () => getDb(env);

/** An application with the SAT test CSD, optionally under a platform; its CSD's end as read back. */
async function appConCsd(platformId?: string) {
  const { app, token } = await createTenant();
  await cargarCsdDePrueba(app.id);
  if (platformId) await db().update(clientApplications).set({ platform_id: platformId }).where(eq(clientApplications.id, app.id));
  const fila = await db().select().from(clientApplications).where(eq(clientApplications.id, app.id)).get();
  return { app, token, noCertificado: fila!.csd_no_certificado!, validoHasta: Date.parse(fila!.csd_valido_hasta!) };
}

/** One cron run at `cuando` (ms). */
const correrEn = (cuando: number) => avisarCsd(depsDe(env, undefined, { clock: () => new Date(cuando) }));

const eventosDe = (appId: string) =>
  db().select().from(eventos).where(eq(eventos.client_application_id, appId)).orderBy(asc(eventos.id)).all();

const avisoDe = async (appId: string) =>
  (await db().select({ a: clientApplications.csd_aviso }).from(clientApplications).where(eq(clientApplications.id, appId)).get())!.a;

describe('avisarCsd', () => {
  it('30 days, 7 days and ended: each notice exactly once across repeated runs', async () => {
    const { app, noCertificado, validoHasta } = await appConCsd();
    await correrEn(validoHasta - 31 * DAY);
    expect(await eventosDe(app.id)).toHaveLength(0);
    for (const antes of [20 * DAY, 19 * DAY, 10 * DAY]) await correrEn(validoHasta - antes);
    for (const antes of [5 * DAY, 4 * DAY, HOUR]) await correrEn(validoHasta - antes);
    for (const despues of [HOUR, 3 * DAY, 400 * DAY]) await correrEn(validoHasta + despues);
    const e = await eventosDe(app.id);
    expect(e.map((x) => [x.type, x.data.dias_restantes])).toEqual([
      ['aplicacion.csd_por_vencer', 20],
      ['aplicacion.csd_por_vencer', 5],
      ['aplicacion.csd_vencido', 0],
    ]);
    expect(e.every((x) => x.factura_id === null && x.mode === 'live')).toBe(true);
    expect(e[0]!.data).toEqual({
      id: app.id,
      rfc: 'EKU9003173C9',
      razon_social: 'ESCUELA KEMPER URGATE',
      platform_id: null,
      no_certificado: noCertificado,
      valido_hasta: new Date(validoHasta).toISOString(),
      dias_restantes: 20,
    });
    expect(await avisoDe(app.id)).toBe(`${noCertificado}:vencido`);
  });

  it('only the highest threshold reached: 5 days before, the 7-day notice and not the 30-day one', async () => {
    const { app } = await appConCsd();
    const vh = Date.parse((await db().select().from(clientApplications).where(eq(clientApplications.id, app.id)).get())!.csd_valido_hasta!);
    await correrEn(vh - 5 * DAY);
    await correrEn(vh - 4 * DAY);
    expect((await eventosDe(app.id)).map((e) => [e.type, e.data.dias_restantes])).toEqual([['aplicacion.csd_por_vencer', 5]]);
  });

  it('concurrent runs record each notice once', async () => {
    const { app, validoHasta } = await appConCsd();
    await Promise.all(Array.from({ length: 4 }, () => correrEn(validoHasta - 20 * DAY)));
    await Promise.all(Array.from({ length: 4 }, () => correrEn(validoHasta + DAY)));
    expect((await eventosDe(app.id)).map((e) => e.type)).toEqual(['aplicacion.csd_por_vencer', 'aplicacion.csd_vencido']);
  });

  it('a new CSD (another no_certificado) starts the notices over', async () => {
    const { app, noCertificado, validoHasta } = await appConCsd();
    await correrEn(validoHasta + DAY);
    const nuevoFin = validoHasta + 365 * DAY;
    await db()
      .update(clientApplications)
      .set({ csd_no_certificado: '30001000000500009999', csd_valido_hasta: new Date(nuevoFin).toISOString() })
      .where(eq(clientApplications.id, app.id));
    await correrEn(nuevoFin - 25 * DAY);
    await correrEn(nuevoFin - 24 * DAY);
    const e = await eventosDe(app.id);
    expect(e.map((x) => [x.type, x.data.no_certificado])).toEqual([
      ['aplicacion.csd_vencido', noCertificado],
      ['aplicacion.csd_por_vencer', '30001000000500009999'],
    ]);
    expect(await avisoDe(app.id)).toBe('30001000000500009999:30');
  });

  it('applications without a CSD or far from its end are left alone', async () => {
    const { app: sinCsd } = await createTenant();
    const { app, validoHasta } = await appConCsd();
    await correrEn(validoHasta - 40 * DAY);
    expect(await eventosDe(app.id)).toHaveLength(0);
    expect(await eventosDe(sinCsd.id)).toHaveLength(0);
    expect(await avisoDe(app.id)).toBeNull();
  });

  it('delivers the notice signed to the platform endpoint and to the application endpoints of both modes, each in its own mode', async () => {
    const plataforma = await plataformaConWebhook(['aplicacion.csd_por_vencer']);
    const { app, token } = await appConCsd(plataforma.platformId);
    const live = await createKey(app.id, { mode: 'live' });
    const hostTest = hostUnico();
    const hostLive = hostUnico();
    const crear = async (t: string, host: string) =>
      json(await api('POST', '/webhooks', { token: t, body: { url: `https://${host}/hook`, events: ['aplicacion.csd_por_vencer'] } }));
    const [wTest, wLive] = [await crear(token, hostTest), await crear(live, hostLive)];
    const vh = Date.parse((await db().select().from(clientApplications).where(eq(clientApplications.id, app.id)).get())!.csd_valido_hasta!);

    expect(await correrEn(vh - 6 * DAY)).toBeGreaterThanOrEqual(1);
    const [evento] = await eventosDe(app.id);
    for (const [host, secret, mode] of [
      [plataforma.host, plataforma.secret, 'live'],
      [hostTest, wTest.secret, 'test'],
      [hostLive, wLive.secret, 'live'],
    ] as const) {
      const [r] = await esperar(() => recibidas(host), (l) => l.length === 1);
      expect(r!.headers['webhook-id']).toBe(evento!.id);
      expect(await verificaStandardWebhooks(secret, r!.headers, r!.body)).toBe(true);
      expect(JSON.parse(r!.body)).toMatchObject({
        id: evento!.id,
        type: 'aplicacion.csd_por_vencer',
        mode,
        data: { id: app.id, platform_id: plataforma.platformId, dias_restantes: 6 },
      });
    }
    expect((await db().select().from(eventos).where(and(eq(eventos.id, evento!.id))).get())!.despachado_at).not.toBeNull();
  });

  it('an endpoint not subscribed to the type, or of another platform, hears nothing', async () => {
    const suscrita = await plataformaConWebhook(['aplicacion.csd_vencido']);
    const otra = await plataformaConWebhook(['*']);
    const { app, validoHasta } = await appConCsd(suscrita.platformId);
    await correrEn(validoHasta - 20 * DAY);
    await correrEn(validoHasta + DAY);
    const [r] = await esperar(() => recibidas(suscrita.host), (l) => l.length >= 1);
    expect(JSON.parse(r!.body)).toMatchObject({ type: 'aplicacion.csd_vencido', data: { id: app.id } });
    // the other platform's endpoint is sent a test event last: had it been given the notices, they would be ahead of it
    await api('POST', `/plataforma/webhooks/${otra.webhook.id}/prueba`, { token: otra.token });
    const llegadas = await esperar(() => recibidas(otra.host), (l) => l.length >= 1);
    expect(llegadas.map((x) => JSON.parse(x.body).type)).toEqual(['webhook.prueba']);
    expect(await recibidas(suscrita.host)).toHaveLength(1);
  });
});
