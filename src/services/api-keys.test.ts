import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { apiKeys } from '../db/schema';
import { depsDe } from '../deps';
import { sha256Hex } from '../lib/crypto';
import { uuidv7 } from '../lib/ids';
import { createApplication } from '../../test/helpers';
import { TOKEN_RE } from '../lib/auth';
import { crearApiKey, listarApiKeys, revocarApiKey } from './api-keys';

const deps = () => depsDe(env);
const fila = (id: string) => deps().db.select().from(apiKeys).where(eq(apiKeys.id, id)).get();

describe('api-keys service', () => {
  it('mints hfx_<mode>_<43 chars>, keeps only its SHA-256, scopes in the catalog order, a day valid to its end', async () => {
    const { id } = await createApplication();
    const { token, apiKey } = await crearApiKey(deps(), id, { name: ' erp ', mode: 'live', scopes: ['webhooks:read', 'facturas:read'], expires: '2099-12-31' });
    expect(token).toMatch(TOKEN_RE);
    expect(token.startsWith('hfx_live_')).toBe(true);
    expect(apiKey).toMatchObject({ name: 'erp', mode: 'live', prefix: token.slice(0, 14), scopes: ['facturas:read', 'webhooks:read'], expires_at: '2099-12-31T23:59:59.999Z' });
    expect(apiKey.token_hash).toBe(await sha256Hex(token));
    expect(JSON.stringify(await fila(apiKey.id))).not.toContain(token);
    expect((await listarApiKeys(deps(), id)).map((k) => k.id)).toEqual([apiKey.id]);
  });

  it('refuses bad input field by field, and an unknown application', async () => {
    const { id } = await createApplication();
    await expect(crearApiKey(deps(), id, { name: '', mode: 'prod', scopes: ['todo'], expires: '2024-02-30' })).rejects.toMatchObject({
      kind: 'invalid',
      details: [{ path: 'name' }, { path: 'mode' }, { path: 'scopes' }, { path: 'expires', message: 'Fecha inválida (AAAA-MM-DD).' }],
    });
    await expect(crearApiKey(deps(), uuidv7(), { name: 'k', mode: 'test', scopes: ['facturas:read'] })).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('revokes once; another application’s key is not_found and stays active', async () => {
    const mine = await createApplication();
    const theirs = await createApplication();
    const { apiKey } = await crearApiKey(deps(), theirs.id, { name: 'k', mode: 'test', scopes: ['facturas:read'] });
    await expect(revocarApiKey(deps(), mine.id, apiKey.id)).rejects.toMatchObject({ kind: 'not_found' });
    expect((await fila(apiKey.id))!.revoked_at).toBeNull();
    await revocarApiKey(deps(), theirs.id, apiKey.id);
    expect((await fila(apiKey.id))!.revoked_at).not.toBeNull();
    await expect(revocarApiKey(deps(), theirs.id, apiKey.id)).rejects.toMatchObject({ kind: 'not_found' });
  });
});
