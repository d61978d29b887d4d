import { and, asc, eq, gt, isNotNull } from 'drizzle-orm';
import { clientApplications, MODES } from '../db/schema';
import type { Deps } from '../deps';
import { MINUTE } from '../lib/time';
import { sincronizar } from '../services/cancelaciones-recibidas';

// The receptor's inbox, pulled from the PACs by the cron: the cancellations suppliers asked of CFDIs addressed
// to our issuers (src/services/cancelaciones-recibidas.ts). A run takes the next LOTE applications that have a
// CSD (the PAC needs it), in id order, so a run stays short however many there are; a round over all of them
// starts at most every INTERVALO, so an application is asked at most that often. Where the round stands is one
// small R2 object; two runs at once at worst ask the same applications twice, which records nothing twice.

export const LOTE_APLICACIONES = 20;
export const INTERVALO_RONDA_MS = 10 * MINUTE;
const CLAVE_RONDA = 'jobs/cancelaciones-recibidas/ronda.json';

interface Ronda {
  /** The last application of the previous run; null between rounds. */
  despues: string | null;
  /** When the current (or last) round began. */
  inicio: string | null;
}

async function leerRonda(bucket: R2Bucket): Promise<Ronda> {
  const obj = await bucket.get(CLAVE_RONDA);
  return obj ? ((await obj.json()) as Ronda) : { despues: null, inicio: null };
}

/** One run of the sync; the number of new requests recorded (each with its event). */
export async function sincronizarRecibidas(deps: Deps): Promise<number> {
  const ahora = deps.clock();
  const ronda = await leerRonda(deps.bucket);
  if (!ronda.despues && ronda.inicio && ahora.getTime() - Date.parse(ronda.inicio) < INTERVALO_RONDA_MS) return 0;
  const inicio = ronda.despues ? ronda.inicio : ahora.toISOString();
  const apps = await deps.db
    .select()
    .from(clientApplications)
    .where(
      and(
        eq(clientApplications.status, 'active'),
        isNotNull(clientApplications.csd_certificado),
        isNotNull(clientApplications.csd_llave_cifrada),
        ronda.despues ? gt(clientApplications.id, ronda.despues) : undefined,
      ),
    )
    .orderBy(asc(clientApplications.id))
    .limit(LOTE_APLICACIONES)
    .all();
  // Moved on before the work: an application that fails every time never holds the round back.
  const siguiente: Ronda = { despues: apps.length === LOTE_APLICACIONES ? apps[apps.length - 1]!.id : null, inicio };
  await deps.bucket.put(CLAVE_RONDA, JSON.stringify(siguiente));

  const nuevas = await Promise.all(
    apps.flatMap((app) =>
      MODES.map((mode) =>
        sincronizar(deps, app, mode).then(
          (r) => r.length,
          (err: Error) => {
            deps.log.warn('no se pudieron sincronizar las cancelaciones recibidas', { applicationId: app.id, mode, error: err.message });
            return 0;
          },
        ),
      ),
    ),
  );
  return nuevas.reduce((a, b) => a + b, 0);
}
