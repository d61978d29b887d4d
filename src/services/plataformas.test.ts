import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { clientApplications, platformKeys } from '../db/schema';
import { depsDe } from '../deps';
import { PLATFORM_TOKEN_RE } from '../lib/auth-plataforma';
import { sha256Hex } from '../lib/crypto';
import { uuidv7 } from '../lib/ids';
import { createApplication } from '../../test/helpers';
import {
  aplicacionDePlataforma,
  crearPlataforma,
  crearPlatformKey,
  listarPlataformas,
  listarPlatformKeys,
  reactivarPlataforma,
  revocarPlatformKey,
  suspenderPlataforma,
} from './plataformas';

const deps = () => depsDe(env);
const fila = (id: string) => deps().db.select().from(platformKeys).where(eq(platformKeys.id, id)).get();
const deLaPlataforma = async (platformId: string) => {
  const { id } = await createApplication();
  await deps().db.update(clientApplications).set({ platform_id: platformId }).where(eq(clientApplications.id, id));
  return id;
};

describe('plataformas service', () => {
  it('creates platforms (plan plataforma unless told), lists them newest first, suspends and reactivates', async () => {
    const a = await crearPlataforma(deps(), { name: ' ERP Uno ' });
    const b = await crearPlataforma(deps(), { name: 'POS', plan: 'estandar' });
    expect(a).toMatchObject({ name: 'ERP Uno', plan: 'plataforma', status: 'active' });
    expect(b.plan).toBe('estandar');
    const ids = (await listarPlataformas(deps())).map((p) => p.id);
    expect(ids.indexOf(b.id)).toBeLessThan(ids.indexOf(a.id));
    expect((await suspenderPlataforma(deps(), a.id)).status).toBe('suspended');
    expect((await reactivarPlataforma(deps(), a.id)).status).toBe('active');
  });

  it('refuses a platform without a name or with an unknown plan, and an unknown platform', async () => {
    await expect(crearPlataforma(deps(), { name: ' ', plan: 'oro' })).rejects.toMatchObject({ kind: 'invalid', details: [{ path: 'name' }, { path: 'plan' }] });
    await expect(suspenderPlataforma(deps(), uuidv7())).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('mints hfx_plat_<43 chars> with platform scopes only, keeps only its SHA-256, revokes once and only its own', async () => {
    const p = await crearPlataforma(deps(), { name: 'ERP' });
    const otra = await crearPlataforma(deps(), { name: 'Otra' });
    const { token, platformKey } = await crearPlatformKey(deps(), p.id, { name: ' ci ', scopes: ['webhooks:read', 'aplicaciones:read'], expires: '2099-12-31' });
    expect(token).toMatch(PLATFORM_TOKEN_RE);
    expect(platformKey).toMatchObject({ name: 'ci', prefix: token.slice(0, 14), scopes: ['aplicaciones:read', 'webhooks:read'], expires_at: '2099-12-31T23:59:59.999Z' });
    expect(platformKey.token_hash).toBe(await sha256Hex(token));
    expect(JSON.stringify(await fila(platformKey.id))).not.toContain(token);
    expect((await listarPlatformKeys(deps(), p.id)).map((k) => k.id)).toEqual([platformKey.id]);
    await expect(crearPlatformKey(deps(), p.id, { name: '', scopes: ['facturas:write'], expires: 'ayer' })).rejects.toMatchObject({
      kind: 'invalid',
      details: [{ path: 'name' }, { path: 'scopes' }, { path: 'expires' }],
    });
    await expect(crearPlatformKey(deps(), uuidv7(), { name: 'k', scopes: ['aplicaciones:read'] })).rejects.toMatchObject({ kind: 'not_found' });
    await expect(revocarPlatformKey(deps(), otra.id, platformKey.id)).rejects.toMatchObject({ kind: 'not_found' });
    expect((await fila(platformKey.id))!.revoked_at).toBeNull();
    await revocarPlatformKey(deps(), p.id, platformKey.id);
    expect((await fila(platformKey.id))!.revoked_at).not.toBeNull();
    await expect(revocarPlatformKey(deps(), p.id, platformKey.id)).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('aplicacionDePlataforma: its own application only; another platform s, the operators own and a malformed id are not_found', async () => {
    const p = await crearPlataforma(deps(), { name: 'ERP' });
    const otra = await crearPlataforma(deps(), { name: 'Otra' });
    const suya = await deLaPlataforma(p.id);
    const ajena = await deLaPlataforma(otra.id);
    const deOperadores = (await createApplication()).id;
    expect((await aplicacionDePlataforma(deps(), p.id, suya)).id).toBe(suya);
    for (const id of [ajena, deOperadores, 'no-es-un-id', uuidv7()]) {
      await expect(aplicacionDePlataforma(deps(), p.id, id)).rejects.toMatchObject({ kind: 'not_found', message: 'La aplicación no existe.' });
    }
  });
});
