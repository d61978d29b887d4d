import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { getDb } from '../src/db/client';
import { clientApplications, recibos } from '../src/db/schema';
import { randomBytes, toBase64Url } from '../src/lib/crypto';
import { uuidv7 } from '../src/lib/ids';
import type { Mode } from '../src/lib/mode';
import { createEmisor, facturaBase } from '../test/helpers';

// The portal's route tests: a merchant with the SAT test CSD and a portal address, and its tickets in D1.

export async function comercio() {
  const t = await createEmisor();
  const slug = `tienda-${uuidv7().slice(-8).toLowerCase()}`;
  await getDb(env).update(clientApplications).set({ autofactura_slug: slug }).where(eq(clientApplications.id, t.app.id));
  return { ...t, slug };
}

/** A vigente ticket of the application (facturaBase's conceptos: 2 × 500.00 + IVA 16%). */
export async function ticketDe(applicationId: string, over: Partial<typeof recibos.$inferInsert> & { mode?: Mode } = {}) {
  const ahora = new Date();
  const fila = {
    id: uuidv7(),
    client_application_id: applicationId,
    mode: 'test' as Mode,
    status: 'vigente' as const,
    folio: `T-${uuidv7().slice(-6)}`,
    clave: toBase64Url(randomBytes(12)).toUpperCase().replace(/[^A-Z0-9]/g, 'X'),
    fecha: ahora.toISOString().slice(0, 19),
    forma_pago: '01',
    moneda: 'MXN',
    datos: { conceptos: facturaBase().conceptos },
    subtotal: '1000.00',
    total_impuestos_trasladados: '160.00',
    total: '1160.00',
    vigente_hasta: new Date(ahora.getTime() + 30 * 86_400_000).toISOString(),
    ...over,
  };
  await getDb(env).insert(recibos).values(fila);
  return fila;
}

export const DATOS_OK = { rfc: 'EKU9003173C9', nombre: 'ESCUELA KEMPER URGATE', domicilio_fiscal: '42501', regimen_fiscal: '601', uso_cfdi: 'G03', email: 'cliente@example.com' };
