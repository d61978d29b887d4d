import { and, asc, isNotNull, lt, sql } from 'drizzle-orm';
import { clientApplications } from '../db/schema';
import type { Deps } from '../deps';
import { uuidv7 } from '../lib/ids';
import { DAY } from '../lib/time';
import { despacharEvento } from '../webhooks/events';

// CSD-expiry notices, from the cron: 30 and 7 days before an application's CSD ends, and once it has ended.
// csd_aviso records the last notice as `<no_certificado>:<30|7|vencido>`, so each is recorded once per
// certificate, and a new CSD (another no_certificado) starts over. Only the highest threshold reached is sent:
// a CSD uploaded 5 days before its end gets the 7-day notice, not the 30-day one too.

export const AVISOS = [
  { umbral: 'vencido', antesMs: 0, type: 'aplicacion.csd_vencido' },
  { umbral: '7', antesMs: 7 * DAY, type: 'aplicacion.csd_por_vencer' },
  { umbral: '30', antesMs: 30 * DAY, type: 'aplicacion.csd_por_vencer' },
] as const;
type Aviso = (typeof AVISOS)[number];
/** Applications noticed per run; the rest drop into the next one (a recorded notice takes a row out of the query). */
export const LOTE_AVISOS = 100;

type App = Pick<typeof clientApplications.$inferSelect, 'id' | 'rfc' | 'razon_social' | 'platform_id' | 'csd_aviso'> & {
  csd_no_certificado: string;
  csd_valido_hasta: string;
};

/** A higher notice already recorded for this certificate (a clock set back must not repeat the lower one). */
function yaAvisado(app: App, aviso: Aviso): boolean {
  const [cert, umbral] = (app.csd_aviso ?? '').split(':');
  if (cert !== app.csd_no_certificado) return false;
  const registrado = AVISOS.findIndex((a) => a.umbral === umbral);
  return registrado >= 0 && registrado <= AVISOS.indexOf(aviso);
}

/**
 * One notice as one D1 batch: the event INSERT first, then the csd_aviso UPDATE, both guarded by the value csd_aviso
 * had when read (and the same certificate). In one transaction they see the same row, so both happen or neither; a
 * second run that read the same value finds it changed and records nothing. The event goes to the live mode's row
 * (events carry a mode); despacharEvento hands `aplicacion.*` events to both modes' endpoints and to the platform's.
 */
async function registrarAviso(deps: Deps, app: App, aviso: Aviso, ahora: Date): Promise<string | null> {
  const eventoId = uuidv7(ahora.getTime());
  const nuevo = `${app.csd_no_certificado}:${aviso.umbral}`;
  const data = {
    id: app.id,
    rfc: app.rfc,
    razon_social: app.razon_social,
    platform_id: app.platform_id,
    no_certificado: app.csd_no_certificado,
    valido_hasta: app.csd_valido_hasta,
    dias_restantes: Math.max(0, Math.ceil((Date.parse(app.csd_valido_hasta) - ahora.getTime()) / DAY)),
  };
  const guarda = 'id = ? AND csd_aviso IS ? AND csd_no_certificado = ?';
  const params = [app.id, app.csd_aviso, app.csd_no_certificado];
  const [insert] = await deps.d1.batch([
    deps.d1
      .prepare(
        `INSERT INTO hexafac_eventos (id, client_application_id, mode, factura_id, type, status_anterior, status_nuevo, data, created_at)
         SELECT ?, id, 'live', NULL, ?, NULL, NULL, ?, ? FROM hexafac_client_applications WHERE ${guarda}`,
      )
      .bind(eventoId, aviso.type, JSON.stringify(data), ahora.toISOString(), ...params),
    deps.d1.prepare(`UPDATE hexafac_client_applications SET csd_aviso = ? WHERE ${guarda}`).bind(nuevo, ...params),
  ]);
  return insert!.meta.changes > 0 ? eventoId : null;
}

/** One run: the notices recorded (each with its event, dispatched). */
export async function avisarCsd(deps: Deps): Promise<number> {
  const ahora = deps.clock();
  const hasta = (a: Aviso) => new Date(ahora.getTime() + a.antesMs).toISOString();
  const c = clientApplications;
  // The highest threshold reached, in SQL (AVISOS is highest first), so rows already told of it stay in D1: the
  // run reads only what it has to notice and a backlog never hides a newer certificate past LOTE_AVISOS.
  const umbral = sql<Aviso['umbral']>`CASE ${sql.join(
    AVISOS.slice(0, -1).map((a) => sql`WHEN ${c.csd_valido_hasta} <= ${hasta(a)} THEN ${a.umbral}`),
    sql` `,
  )} ELSE ${AVISOS[AVISOS.length - 1]!.umbral} END`;
  const apps = (await deps.db
    .select({
      id: c.id,
      rfc: c.rfc,
      razon_social: c.razon_social,
      platform_id: c.platform_id,
      csd_aviso: c.csd_aviso,
      csd_no_certificado: c.csd_no_certificado,
      csd_valido_hasta: c.csd_valido_hasta,
      umbral,
    })
    .from(c)
    .where(
      and(
        // the index on csd_valido_hasta: only certificates within 30 days of their end
        lt(c.csd_valido_hasta, hasta(AVISOS[AVISOS.length - 1]!)),
        isNotNull(c.csd_no_certificado),
        sql`${c.csd_aviso} IS NOT (${c.csd_no_certificado} || ':' || ${umbral})`,
      ),
    )
    .orderBy(asc(c.csd_valido_hasta))
    .limit(LOTE_AVISOS)
    .all()) as (App & { umbral: Aviso['umbral'] })[];
  let n = 0;
  for (const app of apps) {
    const aviso = AVISOS.find((a) => a.umbral === app.umbral)!;
    if (yaAvisado(app, aviso)) continue;
    const eventoId = await registrarAviso(deps, app, aviso, ahora);
    if (!eventoId) continue;
    n++;
    // One that fails to go out now is sent by the sweep (despacharPendientes), like any recorded event.
    await despacharEvento(deps, eventoId);
  }
  return n;
}
