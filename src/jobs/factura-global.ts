import { and, eq, isNotNull, sql } from 'drizzle-orm';
import { fechaLocal, zonaHoraria } from '../cfdi';
import { clientApplications, MODES, type ConfiguracionRecibos } from '../db/schema';
import type { Deps } from '../deps';
import { DomainError } from '../lib/errors';
import { DAY } from '../lib/time';
import { emitirFacturaGlobal, periodoQueContiene, type Periodicidad } from '../services/factura-global';

// The automatic factura global, from the cron (every minute): for each application with a periodicidad_global, the
// period that closed at the last local midnight of its emisor (LugarExpedicion's time zone, c_CodigoPostal) is issued
// on the first run after that midnight. The SAT allows 24 hours after the close; every run of that local day tries,
// and after the first only recibos that came back to vigente meanwhile (a CFDI of theirs rechazada) are left to issue.
// Two runs at once select the same recibos, one batch reserves them and the other's fails its guard, reads again and
// finds nothing (src/services/factura-global.ts). Both modes: a test key's recibos go to the sandbox PAC.

/** The day before `hoy` (AAAA-MM-DD). */
const ayer = (hoy: string) => new Date(Date.parse(`${hoy}T00:00:00Z`) - DAY).toISOString().slice(0, 10);

/** Issues the globals due now; returns how many CFDIs it accepted. */
export async function emitirGlobalesAutomaticas(deps: Deps): Promise<number> {
  const apps = await deps.db
    .select()
    .from(clientApplications)
    .where(
      and(
        eq(clientApplications.status, 'active'),
        isNotNull(clientApplications.csd_certificado),
        sql`json_extract(${clientApplications.recibos_config}, '$.periodicidad_global') IS NOT NULL`,
      ),
    )
    .all();
  let emitidas = 0;
  const ahora = deps.clock();
  for (const app of apps) {
    const periodicidad = (app.recibos_config as ConfiguracionRecibos).periodicidad_global as Periodicidad;
    const hoy = fechaLocal(ahora, zonaHoraria(app.lugar_expedicion)).slice(0, 10);
    const periodo = periodoQueContiene(periodicidad, ayer(hoy));
    // only the day after the close: a period is due once
    if (periodo.hasta !== hoy) continue;
    for (const mode of MODES) {
      try {
        const r = await emitirFacturaGlobal(deps, { applicationId: app.id, mode }, { ...periodo, fecha: periodo.desde }, { aplicacion: app });
        emitidas += r.value.facturas.length;
      } catch (err) {
        if (err instanceof DomainError && err.code === 'sin_recibos_por_facturar') continue;
        // one application's refusal (its CSD expired, a rule) must not stop the others'
        deps.log.error('factura global automática', { application_id: app.id, mode, error: (err as Error).message });
      }
    }
  }
  return emitidas;
}
