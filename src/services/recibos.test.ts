import { env } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '../db/client';
import { eventos, facturas, recibos } from '../db/schema';
import { depsDe } from '../deps';
import { createEmisor, guardarParaOraculo, waitFor } from '../../test/helpers';
import { linea } from '../../test/recibos-prueba';
import { cargarAplicacion } from './comprobantes';
import { cancelarRecibo, crearRecibo, facturarRecibo, impedimentoAutofactura, configuracionRecibos, normalizarClave } from './recibos';

const receptor = { rfc: 'EKU9003173C9', nombre: 'ESCUELA KEMPER URGATE', domicilio_fiscal: '42501', regimen_fiscal: '601', uso_cfdi: 'G03' };
const db = () => getDb(env);
const fila = (id: string) => db().select().from(recibos).where(eq(recibos.id, id)).get();
const factura = (id: string) => db().select().from(facturas).where(eq(facturas.id, id)).get();

async function nuevo() {
  const { app } = await createEmisor();
  const t = { applicationId: app.id, mode: 'test' as const };
  const r = await crearRecibo(depsDe(env), t, { conceptos: [linea('100.00'), linea('50.00')], forma_pago: '01' });
  return { app, t, recibo: r.value };
}

describe('recibos service', () => {
  it('creates a recibo with the core amounts, an 80-bit grouped clave and an automatic folio', async () => {
    const { recibo } = await nuevo();
    expect(recibo).toMatchObject({ status: 'vigente', subtotal: '150.00', total: '174.00', total_impuestos_trasladados: '24.00', folio: '1', moneda: 'MXN' });
    expect(recibo.clave).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    expect(normalizarClave(recibo.clave.toLowerCase().replace(/-/g, ' '))).toBe(recibo.clave);
  });

  it('refuses a currency other than MXN, forma de pago 99 and a future fecha with their paths', async () => {
    const { app } = await createEmisor();
    const t = { applicationId: app.id, mode: 'test' as const };
    const err = await crearRecibo(depsDe(env), t, { conceptos: [linea('10.00')], forma_pago: '99', moneda: 'USD', fecha: '2999-01-01T00:00:00' }).catch((e) => e);
    expect(err.code).toBe('validation_error');
    expect(err.details.map((d: { path: string }) => d.path).sort()).toEqual(['fecha', 'forma_pago', 'moneda']);
    const sat = await crearRecibo(depsDe(env), t, { conceptos: [linea('10.00', undefined, { objeto_imp: '01' })], forma_pago: '01' }).catch((e) => e);
    expect(sat.details.some((d: { path: string }) => d.path.startsWith('conceptos[0]'))).toBe(true);
  });

  it('a stamped CFDI from a recibo records recibo.facturado; the recibo can no longer be invoiced or cancelled', async () => {
    const { t, recibo } = await nuevo();
    const deps = depsDe(env);
    const r = await facturarRecibo(deps, t, recibo.id, { receptor, email: 'cliente@ejemplo.mx' });
    expect(await fila(recibo.id)).toMatchObject({ status: 'facturado', factura_id: r.value.id });
    const f = await waitFor(async () => {
      const x = await factura(r.value.id);
      return x?.status === 'timbrada' ? x : null;
    }, 'timbrada');
    expect(f).toMatchObject({ origen: 'recibo', enviar_a: ['cliente@ejemplo.mx'], total: '174.00' });
    const xml = await (await depsDe(env).bucket.get(f.xml_key!))!.text();
    await guardarParaOraculo('recibo-individual', xml);
    const [evento] = await db().select().from(eventos).where(and(eq(eventos.factura_id, f.id), eq(eventos.type, 'recibo.facturado')));
    expect(evento!.data).toMatchObject({ recibo: { id: recibo.id, status: 'facturado' }, comprobante: { id: f.id, status: 'timbrada', uuid: f.uuid } });
    const otra = await facturarRecibo(deps, t, recibo.id, { receptor }).catch((e) => e);
    expect(otra.code).toBe('recibo_no_facturable');
    expect((await cancelarRecibo(deps, t, recibo.id).catch((e) => e)).code).toBe('recibo_no_cancelable');
  });

  it('a CFDI the PAC rejects gives the recibo back to vigente', async () => {
    const { t, recibo } = await nuevo();
    const r = await facturarRecibo(depsDe(env), t, recibo.id, { receptor }, { simulacion: { timbrado: { rechazo: 'CFDI40102' } } });
    await waitFor(async () => (await factura(r.value.id))?.status === 'rechazada', 'rechazada');
    expect(await fila(recibo.id)).toMatchObject({ status: 'vigente', factura_id: null });
  });

  it('the rule: cancelled, out of time, in a global with tras_global rechazar', async () => {
    const { app, recibo } = await nuevo();
    const config = configuracionRecibos(await cargarAplicacion(depsDe(env), { applicationId: app.id }));
    expect(config).toMatchObject({ dias_autofactura: 30, tras_global: 'rechazar' });
    expect(impedimentoAutofactura(recibo, config, new Date())).toBeNull();
    expect(impedimentoAutofactura(recibo, config, new Date(Date.parse(recibo.vigente_hasta) + 1000))?.code).toBe('recibo_vencido');
    expect(impedimentoAutofactura({ ...recibo, status: 'facturado_global' }, config, new Date())?.code).toBe('recibo_en_factura_global');
    expect(impedimentoAutofactura({ ...recibo, status: 'cancelado' }, config, new Date())?.code).toBe('recibo_cancelado');
  });
});
