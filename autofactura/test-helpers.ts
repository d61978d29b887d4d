import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { getDb } from '../src/db/client';
import { clientApplications } from '../src/db/schema';
import { depsDe } from '../src/deps';
import { uuidv7 } from '../src/lib/ids';
import type { Mode } from '../src/lib/mode';
import { crearRecibo } from '../src/services/recibos';
import { createEmisor, facturaBase } from '../test/helpers';

// The portal's route tests: a merchant with the SAT test CSD and a portal address, and its tickets in D1.

export async function comercio() {
  const t = await createEmisor();
  const slug = `tienda-${uuidv7().slice(-8).toLowerCase()}`;
  await getDb(env).update(clientApplications).set({ autofactura_slug: slug }).where(eq(clientApplications.id, t.app.id));
  return { ...t, slug };
}

/** A ticket of the application through the recibos service (facturaBase's conceptos: 2 × 500.00 + IVA 16%). */
export async function ticketDe(applicationId: string, mode: Mode = 'test') {
  const { value } = await crearRecibo(depsDe(env), { applicationId, mode }, { conceptos: facturaBase().conceptos, forma_pago: '01' });
  return value;
}

export const DATOS_OK = { rfc: 'EKU9003173C9', nombre: 'ESCUELA KEMPER URGATE', domicilio_fiscal: '42501', regimen_fiscal: '601', uso_cfdi: 'G03', email: 'cliente@example.com' };
