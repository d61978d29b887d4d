import { and, eq, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { platformWebhooks, webhookConfigurations } from '../db/schema';
import type { Mode } from '../lib/mode';
import { idempotenciaDePlataforma, tenantColumns, tenantDb, tenantWhere, type Tenant } from '../lib/tenancy';

// Whose webhook endpoints: an application in one mode (hexafac_webhook_configurations), or a platform
// (hexafac_platform_webhooks), which hears about the applications it manages. The service and the delivery
// object reach either table only through `alcance`, so an endpoint is never looked up by id alone and another
// owner's endpoint is a 404.

export interface Plataforma {
  platformId: string;
}
export type Dueno = Tenant | Plataforma;

export const esPlataforma = (d: Dueno): d is Plataforma => 'platformId' in d;

/** A platform hears only about its applications: the types under this prefix (and `*`, meaning all of them). */
export const PREFIJO_EVENTOS_PLATAFORMA = 'aplicacion.';

export type TablaWebhooks = typeof webhookConfigurations | typeof platformWebhooks;

/** A configuration as either table holds it, with the mode whose URL rules apply. */
export type ConfigWebhook = Omit<typeof platformWebhooks.$inferSelect, 'platform_id'> & { mode: Mode };

export interface Alcance {
  tabla: TablaWebhooks;
  /** WHERE <the owner> AND …extra */
  donde: (...extra: (SQL | undefined)[]) => SQL;
  /** What every insert into `tabla` carries to name its owner. */
  columnas: Record<string, string>;
  /** The URL policy's mode: a platform is a production integration, so its endpoints follow live's (https, web ports). */
  mode: Mode;
  /** Where the owner's Idempotency-Keys live: a platform's under its own id (ids are UUIDv7, never an application's). */
  idempotencia: Tenant;
  /** Which subscriptions it may make: none outside its events. */
  admite: (type: string) => boolean;
}

export function alcance(d: Dueno): Alcance {
  if (esPlataforma(d)) {
    return {
      tabla: platformWebhooks,
      donde: (...extra) => and(eq(platformWebhooks.platform_id, d.platformId), ...extra)!,
      columnas: { platform_id: d.platformId },
      mode: 'live',
      idempotencia: idempotenciaDePlataforma(d.platformId),
      admite: (type) => type === '*' || type.startsWith(PREFIJO_EVENTOS_PLATAFORMA),
    };
  }
  return {
    tabla: webhookConfigurations,
    donde: (...extra) => tenantWhere(webhookConfigurations, d, ...extra),
    columnas: tenantColumns(d),
    mode: d.mode,
    idempotencia: d,
    admite: () => true,
  };
}

/** A row of either table as the service and the delivery object read it. */
export function comoConfig(a: Alcance, fila: typeof platformWebhooks.$inferSelect | typeof webhookConfigurations.$inferSelect): ConfigWebhook {
  const { platform_id: _p, client_application_id: _a, ...comun } = fila as typeof platformWebhooks.$inferSelect &
    Partial<typeof webhookConfigurations.$inferSelect>;
  return { ...comun, mode: a.mode };
}

/** The database that holds the owner's endpoints: a tenant's is chosen by src/lib/tenancy.ts; platforms live in the main one. */
export const duenoDb = <D extends { db: Db; d1: D1Database }>(deps: D, d: Dueno): Pick<D, 'db' | 'd1'> => (esPlataforma(d) ? deps : tenantDb(deps, d));

/** The owner's configuration `id` (also a deleted one, unless `extra` says otherwise), or undefined. */
export async function cargarConfig(deps: { db: Db; d1: D1Database }, d: Dueno, id: string, extra?: SQL): Promise<ConfigWebhook | undefined> {
  const a = alcance(d);
  const fila = await duenoDb(deps, d).db.select().from(a.tabla).where(a.donde(eq(a.tabla.id, id), extra)).get();
  return fila && comoConfig(a, fila);
}
