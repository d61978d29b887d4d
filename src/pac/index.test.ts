// Which PACs stamp for whom (src/pac/index.ts), with the Worker's own bindings: the deployment's secrets decide
// which live PACs exist, PACS_LIVE and the application their order, and test hosts send status queries to the
// SAT's test service (their stamps are not in production's).
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { recibidas } from '../../test/workers/webhooks-helpers';
import { CONSULTA_SAT_PRUEBAS_URL, CONSULTA_SAT_URL } from './consulta-sat';
import { pacsDe } from './index';

const ahora = () => new Date();
const conSecretos = (over: Partial<typeof env>) => ({ ...env, ...over }) as typeof env;
const SW = { SW_SAPIEN_URL: 'https://services.sw.com.mx', SW_SAPIEN_TOKEN: 'token' };
const FINKOK = { FINKOK_URL: 'https://facturacion.finkok.com', FINKOK_USER: 'u', FINKOK_PASSWORD: 'p' };
const nombres = (l: { nombre: string }[]) => l.map((p) => p.nombre);

describe('pacsDe', () => {
  it('test mode: the two sandbox PACs, whatever the application asks', () => {
    expect(nombres(pacsDe(env, ahora).de('test', { pacs: ['finkok'] }))).toEqual(['sandbox', 'sandbox-respaldo']);
  });

  it('live: only PACs with secrets, in PACS_LIVE order, or the application’s own', () => {
    expect(pacsDe(env, ahora).de('live', { pacs: null })).toEqual([]);
    expect(nombres(pacsDe(conSecretos(SW), ahora).de('live', { pacs: null }))).toEqual(['sw-sapien']);
    const ambos = pacsDe(conSecretos({ ...SW, ...FINKOK }), ahora);
    expect(nombres(ambos.de('live', { pacs: null }))).toEqual(['sw-sapien', 'finkok']);
    expect(nombres(ambos.de('live', { pacs: ['finkok', 'sw-sapien'] }))).toEqual(['finkok', 'sw-sapien']);
    expect(nombres(pacsDe(conSecretos({ ...SW, ...FINKOK, PACS_LIVE: 'finkok' }), ahora).de('live', { pacs: null }))).toEqual(['finkok']);
    expect(ambos.configurados()).toEqual(['sw-sapien', 'finkok']);
    // a stamp or an uncertain answer stays reachable even when the application no longer lists that PAC
    expect(ambos.porNombre('live', 'finkok')?.nombre).toBe('finkok');
  });

  it('status queries go to the SAT’s test service when the PACs are test hosts, else to production', async () => {
    const consulta = { rfcEmisor: 'EKU9003173C9', rfcReceptor: 'XAXX010101000', total: '1.00', uuid: crypto.randomUUID().toUpperCase() };
    const host = (url: string) => new URL(url).host;
    const pruebas = pacsDe(conSecretos({ ...SW, SW_SAPIEN_URL: 'https://services.test.sw.com.mx' }), ahora);
    const antes = (await recibidas(host(CONSULTA_SAT_PRUEBAS_URL))).length;
    // the test receiver answers "ok", not the SAT's SOAP: the query fails, and it went where expected
    await expect(pruebas.consultaSat('live').consultar(consulta)).rejects.toThrow();
    expect((await recibidas(host(CONSULTA_SAT_PRUEBAS_URL))).length).toBe(antes + 1);

    const produccion = pacsDe(conSecretos(SW), ahora);
    const antesProd = (await recibidas(host(CONSULTA_SAT_URL))).length;
    await expect(produccion.consultaSat('live').consultar(consulta)).rejects.toThrow();
    expect((await recibidas(host(CONSULTA_SAT_URL))).length).toBe(antesProd + 1);
  });
});
