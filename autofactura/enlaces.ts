import { jwtVerify, SignJWT } from 'jose';
import type { Mode } from '../src/lib/mode';

// The status page and downloads of a portal invoice are reached by a signed token, never by an id: it names
// one factura of one application and mode (and the slug it was asked under), so nobody can walk to another
// invoice by changing a number. The key is derived from the master key for this purpose alone.

export interface Enlace {
  factura: string;
  app: string;
  mode: Mode;
  slug: string;
  clave: string;
  email?: string;
}

const VIGENCIA_S = 60 * 60 * 24 * 90;

const claves = new Map<string, Promise<Uint8Array>>();
function clave(masterKey: string): Promise<Uint8Array> {
  let k = claves.get(masterKey);
  if (!k) {
    k = (async () => {
      const base = await crypto.subtle.importKey('raw', new TextEncoder().encode(masterKey), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
      return new Uint8Array(await crypto.subtle.sign('HMAC', base, new TextEncoder().encode('hexafac/autofactura/enlaces/v1')));
    })();
    claves.set(masterKey, k);
  }
  return k;
}

export async function firmarEnlace(masterKey: string, e: Enlace, ahora: Date): Promise<string> {
  const { factura, ...resto } = e;
  return new SignJWT({ ...resto })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(factura)
    .setAudience('autofactura')
    .setIssuedAt(Math.floor(ahora.getTime() / 1000))
    .setExpirationTime(Math.floor(ahora.getTime() / 1000) + VIGENCIA_S)
    .sign(await clave(masterKey));
}

/** The token's factura when it is ours, unexpired and was issued under `slug`; null otherwise. */
export async function leerEnlace(masterKey: string, token: string, slug: string, ahora: Date): Promise<Enlace | null> {
  try {
    const { payload } = await jwtVerify(token, await clave(masterKey), { audience: 'autofactura', algorithms: ['HS256'], currentDate: ahora });
    const { sub, app, mode, clave: c, email } = payload;
    if (payload.slug !== slug || typeof sub !== 'string' || typeof app !== 'string' || (mode !== 'test' && mode !== 'live') || typeof c !== 'string') return null;
    return { factura: sub, app, mode, slug, clave: c, email: typeof email === 'string' ? email : undefined };
  } catch {
    return null;
  }
}
