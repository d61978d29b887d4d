import { csdDesdePkcs8, type Csd } from '../cfdi';
import type { clientApplications } from '../db/schema';
import { decryptSecret, fromBase64 } from '../lib/crypto';

// The issuer's CSD, decrypted and imported once per isolate and certificate.
const cache = new Map<string, Promise<Csd>>();

export function csdDeAplicacion(masterKey: string, app: typeof clientApplications.$inferSelect): Promise<Csd> | null {
  if (!app.csd_certificado || !app.csd_llave_cifrada || !app.csd_no_certificado) return null;
  const key = `${app.id}:${app.csd_no_certificado}`;
  let csd = cache.get(key);
  if (!csd) {
    csd = decryptSecret(masterKey, app.csd_llave_cifrada).then((pkcs8) => csdDesdePkcs8(fromBase64(app.csd_certificado!), pkcs8));
    csd.catch(() => cache.delete(key));
    cache.set(key, csd);
  }
  return csd;
}
