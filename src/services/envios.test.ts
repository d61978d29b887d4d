import { EmailMessage } from 'cloudflare:email';
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import PostalMime from 'postal-mime';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '../db/client';
import { envios, facturas } from '../db/schema';
import { depsDe, type Deps } from '../deps';
import { procesarFactura } from '../jobs/procesar-factura';
import { mime } from '../lib/correo';
import type { JobMessage } from '../lib/queue';
import { api, createEmisor, facturaBase, insertarPendiente, json, type TestApp } from '../../test/helpers';
import { facturaTimbrada } from '../../test/comprobantes';
import { agotarEnvio, entregarEnvio, enviarComprobante } from './envios';

// The envío's job against a failing mailbox (a deps override of the binding, the only outside part) and the real
// send_email binding: retried with its error kept, ended by the dead-letter queue, never touching the comprobante;
// and the automatic envío the stamping job writes with the timbrada.

const db = () => getDb(env);
const fila = (id: string) => db().select().from(envios).where(eq(envios.id, id)).get();
const estadoDe = async (id: string) => (await db().select().from(facturas).where(eq(facturas.id, id)).get())!.status;

/** Deps whose queue keeps its messages here instead of sending them, so the test drives the job itself. */
function sinCola(over: Partial<Deps> = {}) {
  const mensajes: JobMessage[] = [];
  const queue = { send: async (m: JobMessage) => void mensajes.push(m), sendBatch: async () => {} } as unknown as Queue<JobMessage>;
  return { deps: depsDe(env, undefined, { queue, ...over }), mensajes };
}

const buzonCaido = (): Deps['correo'] => ({
  remitente: 'facturas@hexafac.mx',
  enviar: async () => {
    throw new Error('Email Service: sender domain not verified');
  },
});

let emisor: { app: TestApp; token: string };
let factura: any;

beforeAll(async () => {
  emisor = await createEmisor();
  factura = await facturaTimbrada(emisor.token, facturaBase());
});

describe('entregarEnvio', () => {
  it('a failing send is retried with backoff and its error, the comprobante stays timbrada, and a later try sends it', async () => {
    const t = { applicationId: emisor.app.id, mode: 'test' as const };
    const { deps, mensajes } = sinCola();
    const { value: e } = await enviarComprobante(deps, t, factura.id, { to: ['a@cliente.mx'] });
    expect(mensajes).toEqual([{ kind: 'enviar', id: e.id }]);

    const r = await entregarEnvio(depsDe(env, undefined, { correo: buzonCaido() }), e.id, 1);
    expect(r.action).toBe('retry');
    expect(r.action === 'retry' && r.delaySeconds).toBeGreaterThan(0);
    expect(await fila(e.id)).toMatchObject({ status: 'pendiente', intentos: 1, error: 'Email Service: sender domain not verified', message_id: null });
    expect(await estadoDe(factura.id)).toBe('timbrada');

    expect(await entregarEnvio(depsDe(env), e.id, 2)).toEqual({ action: 'ack' });
    expect(await fila(e.id)).toMatchObject({ status: 'enviado', intentos: 2, error: null, message_id: `<${e.id}@hexafac.mx>` });
    // a redelivery of the same message finds it sent and does not send again
    expect(await entregarEnvio(depsDe(env, undefined, { correo: buzonCaido() }), e.id, 3)).toEqual({ action: 'ack' });
    expect((await fila(e.id))!.intentos).toBe(2);
  });

  it('the dead-letter queue ends a spent envío as error with its last reason; the comprobante is untouched', async () => {
    const t = { applicationId: emisor.app.id, mode: 'test' as const };
    const { value: e } = await enviarComprobante(sinCola().deps, t, factura.id, { to: ['b@cliente.mx'] });
    await entregarEnvio(depsDe(env, undefined, { correo: buzonCaido() }), e.id, 5);
    await agotarEnvio(depsDe(env), e.id);
    expect(await fila(e.id)).toMatchObject({ status: 'error', intentos: 1, error: 'Email Service: sender domain not verified', enviado_at: null });
    // ended: a late delivery does nothing
    expect(await entregarEnvio(depsDe(env), e.id, 6)).toEqual({ action: 'ack' });
    expect((await fila(e.id))!.status).toBe('error');
    const detalle = await json(await api('GET', `/facturas/${factura.id}`, { token: emisor.token }));
    expect(detalle.status).toBe('timbrada');
    expect(detalle.envios.find((x: any) => x.id === e.id)).toMatchObject({ status: 'error', error: 'Email Service: sender domain not verified' });
  });

  it('stamping with a cliente that has an email writes the automatic envío in the timbrada batch and queues it; a dead mailbox holds nothing back', async () => {
    const cliente = await json(
      await api('POST', '/clientes', {
        token: emisor.token,
        body: { rfc: 'XOJI740919U48', nombre: 'INGRID XODAR JIMENEZ', domicilio_fiscal: '88965', regimen_fiscal: '612', uso_cfdi: 'G03', email: 'ingrid@xodar.mx' },
      }),
    );
    const id = await insertarPendiente(emisor.app.id);
    await db().update(facturas).set({ cliente_id: cliente.id }).where(eq(facturas.id, id));
    const { deps, mensajes } = sinCola({ correo: buzonCaido() });
    expect(await procesarFactura(deps, id, 1)).toEqual({ action: 'ack' });
    expect(await estadoDe(id)).toBe('timbrada');
    const [auto, ...otros] = await db().select().from(envios).where(eq(envios.factura_id, id));
    expect(otros).toEqual([]);
    expect(auto).toMatchObject({ para: ['ingrid@xodar.mx'], cc: null, automatico: true, status: 'pendiente', intentos: 0 });
    expect(mensajes).toContainEqual({ kind: 'enviar', id: auto!.id });
    expect((await entregarEnvio(deps, auto!.id, 1)).action).toBe('retry');
    expect(await estadoDe(id)).toBe('timbrada');
  });
});

describe('the MIME message', () => {
  it('a razón social with a comma, a period or accents stays one From address the binding accepts', async () => {
    for (const nombre of ['ACME, S.C. (MATRIZ)', 'TORTAS "EL GÜERO", S.A.', 'PANADERÍA LA ESPIGA']) {
      const raw = mime({
        de: { nombre, email: 'facturas@hexafac.mx' },
        para: ['a@cliente.mx'],
        asunto: `${nombre}: factura F-1 por 116.00 MXN`,
        texto: 'Hola',
        html: '<p>Hola</p>',
        adjuntos: [{ nombre: 'F-1.xml', tipo: 'application/xml; charset=utf-8', contenido: new TextEncoder().encode('<a/>') }],
        messageId: `<prueba-${nombre.length}@hexafac.mx>`,
        fecha: new Date('2026-12-01T12:00:00Z'),
      });
      expect(raw).toMatch(/^[\x20-\x7e\r\n]*$/);
      const m = await PostalMime.parse(raw);
      expect(m.from).toEqual({ name: nombre, address: 'facturas@hexafac.mx' });
      expect(m.subject).toBe(`${nombre}: factura F-1 por 116.00 MXN`);
      // the real binding checks that the From header is its sender, as Cloudflare does
      await expect(env.CORREO.send(new EmailMessage('facturas@hexafac.mx', 'a@cliente.mx', raw))).resolves.toBeDefined();
    }
  });
});
