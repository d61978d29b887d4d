import { and, eq } from 'drizzle-orm';
import { clientApplications } from '../src/db/schema';
import type { Deps } from '../src/deps';
import type { Aplicacion } from '../src/services/comprobantes';
import type { MarcaPortal } from './pages/layout';

/** The active application behind a portal address; null for an unknown or suspended one (the same "no encontrado"). */
export async function aplicacionPorSlug(deps: Pick<Deps, 'db'>, slug: string): Promise<Aplicacion | null> {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(slug)) return null;
  const app = await deps.db
    .select()
    .from(clientApplications)
    .where(and(eq(clientApplications.autofactura_slug, slug), eq(clientApplications.status, 'active')))
    .get();
  return app ?? null;
}

export const marcaDe = (app: Aplicacion, slug: string): MarcaPortal => ({ slug, nombre: app.razon_social, conLogo: !!app.logo_key });
