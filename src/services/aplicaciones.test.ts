import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { depsDe } from '../deps';
import { uuidv7 } from '../lib/ids';
import { cargarCsdDePrueba, createApplication } from '../../test/helpers';
import { actualizarAplicacion, crearAplicacion, reactivarAplicacion, suspenderAplicacion } from './aplicaciones';
import { cargarAplicacion } from './comprobantes';

const deps = () => depsDe(env);
const EMISOR = { name: 'Tienda', rfc: 'EKU9003173C9', razon_social: 'ESCUELA KEMPER URGATE', regimen_fiscal: '601', lugar_expedicion: '42501' };

describe('aplicaciones service', () => {
  it('creates the issuer in its normal form', async () => {
    const app = await crearAplicacion(deps(), { ...EMISOR, rfc: ' eku9003173c9 ', razon_social: ' escuela   kemper urgate ', description: '  ' });
    expect(app).toMatchObject({ rfc: 'EKU9003173C9', razon_social: 'ESCUELA KEMPER URGATE', description: null, status: 'active' });
    expect(await cargarAplicacion(deps(), { applicationId: app.id })).toEqual(app);
  });

  it('lists every problem on its field, with the RFC rule broken', async () => {
    await expect(crearAplicacion(deps(), { name: '', rfc: 'EKU9003173C8', razon_social: '', regimen_fiscal: '999', lugar_expedicion: '4250' })).rejects.toMatchObject({
      kind: 'invalid',
      details: [{ path: 'name' }, { path: 'rfc', code: 'rfc_digito_verificador' }, { path: 'razon_social' }, { path: 'regimen_fiscal' }, { path: 'lugar_expedicion' }],
    });
  });

  it('refuses a generic RFC as issuer and a régimen of the other kind of person', async () => {
    await expect(crearAplicacion(deps(), { ...EMISOR, rfc: 'XAXX010101000', regimen_fiscal: '605' })).rejects.toMatchObject({ details: [{ path: 'rfc', code: 'rfc_generico' }] });
    await expect(crearAplicacion(deps(), { ...EMISOR, regimen_fiscal: '605' })).rejects.toMatchObject({
      details: [{ path: 'regimen_fiscal', message: 'El régimen 605 no aplica a personas morales.' }],
    });
  });

  it('the RFC cannot change once a CSD is loaded; the rest can', async () => {
    const { id } = await createApplication();
    await cargarCsdDePrueba(id);
    await expect(actualizarAplicacion(deps(), id, { ...EMISOR, rfc: 'XIA190128J61' })).rejects.toMatchObject({
      details: [{ path: 'rfc', message: 'Ya hay un CSD de EKU9003173C9 cargado; el RFC del emisor no puede cambiar.' }],
    });
    expect(await actualizarAplicacion(deps(), id, { ...EMISOR, lugar_expedicion: '01000' })).toMatchObject({ lugar_expedicion: '01000' });
  });

  it('suspends and reactivates; an unknown application is not_found', async () => {
    const { id } = await createApplication();
    expect((await suspenderAplicacion(deps(), id)).status).toBe('suspended');
    expect((await reactivarAplicacion(deps(), id)).status).toBe('active');
    await expect(suspenderAplicacion(deps(), uuidv7())).rejects.toMatchObject({ kind: 'not_found' });
    await expect(actualizarAplicacion(deps(), uuidv7(), EMISOR)).rejects.toMatchObject({ kind: 'not_found' });
  });
});
