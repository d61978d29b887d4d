import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { depsDe } from '../deps';
import { fromBase64 } from '../lib/crypto';
import { uuidv7 } from '../lib/ids';
import { createApplication } from '../../test/helpers';
import { cargarAplicacion } from './comprobantes';
import { csdDeAplicacion, guardarCsd } from './csd';

const deps = () => depsDe(env);
const PASSWORD = '12345678a';
const archivos = (password = PASSWORD) => ({ cer: fromBase64(env.TEST_CSD_CER), key: fromBase64(env.TEST_CSD_KEY), password });

describe('csd service', () => {
  it('stores the certificate and the key re-encrypted, never the password; the key seals as its certificate says', async () => {
    const { id } = await createApplication();
    const app = await guardarCsd(deps(), id, archivos());
    expect(app).toMatchObject({ csd_no_certificado: '30001000000500003416', csd_certificado: env.TEST_CSD_CER });
    expect(app.csd_llave_cifrada).toMatch(/^v1\./);
    expect(JSON.stringify(app)).not.toContain(PASSWORD);
    expect((await csdDeAplicacion(env.MASTER_KEY, app))!.rfc).toBe('EKU9003173C9');
  });

  it('refuses on the field at fault and stores nothing: missing files, another RFC, a wrong password', async () => {
    const { id } = await createApplication();
    await expect(guardarCsd(deps(), id, { password: '' })).rejects.toMatchObject({ kind: 'invalid', details: [{ path: 'cer' }, { path: 'key' }, { path: 'password' }] });
    await expect(guardarCsd(deps(), id, archivos('otra'))).rejects.toMatchObject({ details: [{ path: 'password', code: 'csd_password_incorrecto' }] });
    const otro = await createApplication({ rfc: 'XIA190128J61' });
    await expect(guardarCsd(deps(), otro.id, archivos())).rejects.toMatchObject({ details: [{ path: 'cer', code: 'csd_rfc_distinto' }] });
    for (const appId of [id, otro.id]) expect((await cargarAplicacion(deps(), { applicationId: appId })).csd_llave_cifrada).toBeNull();
  });

  it('an unknown application is not_found', async () => {
    await expect(guardarCsd(deps(), uuidv7(), archivos())).rejects.toMatchObject({ kind: 'not_found' });
  });
});
