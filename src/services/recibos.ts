import { and, desc, eq, gte, lte } from 'drizzle-orm';
import { fechaLocal, instanteDeFechaLocal, modulosQr, prepararComprobante, zonaHoraria } from '../cfdi';
import { constraintViolation } from '../db/constraints';
import type { Simulacion } from '../pac/types';
import { clientApplications, facturas, recibos, type ConfiguracionRecibos, type ReciboStatus } from '../db/schema';
import type { Deps } from '../deps';
import { DomainError, type ErrorDetail } from '../lib/errors';
import { uuidv7 } from '../lib/ids';
import { withIdempotency, type Idempotent } from '../lib/idempotency';
import { cursorCondition, toPage } from '../lib/pagination';
import { tenantColumns, tenantDb, tenantWhere, findOwned, type Tenant } from '../lib/tenancy';
import { DAY } from '../lib/time';
import { cargarAplicacion, emisorDe, type Aplicacion } from './comprobantes';
import { aceptar, detallesDe, validar, type Aceptada, type TipoEmision } from './emision';
import { datosComprobante, type CambioDeEstado, type Factura } from './estado';
import { problemasPeriodicidad, solicitudNotaCredito } from './factura-global';
import { FACTURA } from './facturas';
import { NOTA_CREDITO } from './notas-credito';
import { crc32 } from '../lib/zip';

// Recibos (tickets) from a point of sale. The customer invoices one later on the autofactura portal (or the
// merchant does by API); what nobody invoices goes into the period's factura global (src/services/factura-global.ts).
//
// The rule (the SAT's guía de llenado del CFDI global, and its Apéndice 2): an operation is in one CFDI only.
// A recibo may be invoiced on its own while it is `vigente` and until `vigente_hasta` (fecha + dias_autofactura).
// Once a factura global covers it (`facturado_global`), it can no longer be invoiced on its own — unless the
// application's tras_global is 'nota_credito': then the recibo is taken out of the global with a CFDI de egreso
// to PUBLICO EN GENERAL related 01 to the global (Apéndice 2, III) and invoiced to its customer (sacarDeLaGlobal).
//
// A recibo is reserved by the very batch that writes its CFDI (guarded by its status), so two requests, or the
// portal and the global, can never both take it; the CFDI's end (rechazada, error, cancelada) gives it back
// (recibosTrasTransicion, run in the stamping and cancellation jobs' transition batch).

export type Recibo = typeof recibos.$inferSelect;
type DbDeps = Pick<Deps, 'db' | 'd1'>;

/** Limits of dias_autofactura: at least a day; at most a year (the fiscal year a recibo's income belongs to). */
export const DIAS_AUTOFACTURA = { min: 1, max: 365 } as const;

const POR_OMISION: Required<ConfiguracionRecibos> = { dias_autofactura: 30, tras_global: 'rechazar', periodicidad_global: null, serie_global: 'G' };

/** The application's recibos configuration with every default applied. */
export function configuracionRecibos(app: Aplicacion): Required<ConfiguracionRecibos> {
  const c = app.recibos_config ?? {};
  return {
    dias_autofactura: c.dias_autofactura ?? POR_OMISION.dias_autofactura,
    tras_global: c.tras_global ?? POR_OMISION.tras_global,
    periodicidad_global: c.periodicidad_global ?? POR_OMISION.periodicidad_global,
    serie_global: c.serie_global ?? POR_OMISION.serie_global,
  };
}

// ---------- the clave ----------

/**
 * Crockford's base 32: digits and letters without I, L, O, U; what a person types off a ticket and gets right
 * (an O, I or L typed by mistake is read as 0, 1, 1). 16 symbols of 5 bits: 80 random bits, as XXXX-XXXX-XXXX-XXXX.
 */
const ALFABETO = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const LONGITUD_CLAVE = 16;

const agrupar = (s: string) => s.match(/.{4}/g)!.join('-');

export function nuevaClave(): string {
  // 32 symbols: the low 5 bits of a random byte are uniform, with no rejection needed
  return agrupar([...crypto.getRandomValues(new Uint8Array(LONGITUD_CLAVE))].map((b) => ALFABETO[b & 31]).join(''));
}

/** A typed clave as stored (upper case, regrouped, Crockford's look-alikes mapped), or null when it cannot be one. */
export function normalizarClave(clave: string): string | null {
  const s = clave.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (s.length !== LONGITUD_CLAVE || [...s].some((ch) => !ALFABETO.includes(ch))) return null;
  return agrupar(s);
}

// ---------- creating ----------

export interface ReciboEntrada {
  conceptos: unknown[];
  forma_pago: string;
  fecha?: string;
  moneda?: string;
  folio?: string;
  external_id?: string;
}

const FECHA_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;
/** The folios counter of recibos (hexafac_folios): a serie of its own, apart from the CFDIs' F, NC, CP, G. */
const SERIE_RECIBOS = '#recibos';

/** Where a recibo's portal page is; null while the application has no slug. */
export const urlAutofactura = (origin: string, slug: string | null, clave: string) =>
  slug ? `${origin}/autofactura/${slug}?clave=${encodeURIComponent(clave)}` : null;

/**
 * The recibo's amounts, by the fiscal core: its conceptos as a comprobante to PUBLICO EN GENERAL (in memory only),
 * so the taxes and totals are exactly the ones its CFDI, individual or global, will carry.
 */
function calcular(app: Aplicacion, entrada: ReciboEntrada, ahora: Date) {
  const emisor = emisorDe(app);
  const mes = fechaLocal(ahora, zonaHoraria(emisor.lugarExpedicion)).slice(5, 7);
  const prep = prepararComprobante(
    {
      receptor: { rfc: 'XAXX010101000', nombre: 'PUBLICO EN GENERAL', domicilio_fiscal: emisor.lugarExpedicion, regimen_fiscal: '616', uso_cfdi: 'S01' },
      conceptos: entrada.conceptos,
      forma_pago: entrada.forma_pago,
      metodo_pago: 'PUE',
      moneda: 'MXN',
      informacion_global: { periodicidad: '04', meses: mes, año: ahora.getUTCFullYear() },
    },
    emisor,
    { tipo: 'I', ahora },
  );
  if (!prep.ok) throw DomainError.validation(detallesDe(prep.errors), 'Los conceptos del recibo no cumplen las reglas del SAT.');
  return prep.comprobante;
}

function validarEntrada(app: Aplicacion, entrada: ReciboEntrada, ahora: Date) {
  const errores: ErrorDetail[] = [];
  if ((entrada.moneda ?? 'MXN') !== 'MXN') {
    errores.push({ path: 'moneda', code: 'HFX_RECIBO_MONEDA', message: 'Los recibos son en MXN: la factura global que los reúne es de una sola moneda.' });
  }
  if (entrada.forma_pago === '99') {
    errores.push({ path: 'forma_pago', code: 'HFX_RECIBO_FORMA_PAGO', message: 'Un recibo ya está pagado: indica la forma de pago (99 "Por definir" no aplica).' });
  }
  const zona = zonaHoraria(app.lugar_expedicion);
  let fecha = fechaLocal(ahora, zona);
  if (entrada.fecha !== undefined) {
    if (!FECHA_RE.test(entrada.fecha) || Number.isNaN(Date.parse(`${entrada.fecha}Z`))) {
      errores.push({ path: 'fecha', code: 'HFX_FECHA_FORMATO', message: 'Formato AAAA-MM-DDThh:mm:ss, hora local del lugar de expedición.' });
    } else if (instanteDeFechaLocal(entrada.fecha, zona).getTime() > ahora.getTime()) {
      errores.push({ path: 'fecha', code: 'HFX_RECIBO_FECHA_FUTURA', message: 'La fecha del recibo no puede ser futura.' });
    } else fecha = entrada.fecha;
  }
  if (errores.length) throw DomainError.validation(errores);
  return { fecha, instante: instanteDeFechaLocal(fecha, zona) };
}

export async function crearRecibo(
  deps: Deps,
  t: Tenant,
  entrada: ReciboEntrada,
  opts: { idempotencyKey?: string; aplicacion?: Aplicacion } = {},
): Promise<Idempotent<Recibo>> {
  return withIdempotency(deps, t, { key: opts.idempotencyKey, operation: 'recibos.crear', input: entrada }, async (reciboIdem) => {
    const app = opts.aplicacion ?? (await cargarAplicacion(deps, t));
    const ahora = deps.clock();
    const { fecha, instante } = validarEntrada(app, entrada, ahora);
    const c = calcular(app, entrada, ahora);
    const config = configuracionRecibos(app);
    const { d1 } = tenantDb(deps, t);
    const id = uuidv7(ahora.getTime());
    const row: Omit<Recibo, 'folio'> & { folio: string | null } = {
      id,
      ...tenantColumns(t),
      status: 'vigente',
      folio: entrada.folio ?? null,
      external_id: entrada.external_id ?? null,
      clave: nuevaClave(),
      fecha,
      forma_pago: entrada.forma_pago,
      moneda: 'MXN',
      datos: { conceptos: entrada.conceptos },
      subtotal: c.subTotal,
      descuento: c.descuento ?? null,
      total_impuestos_trasladados: c.impuestos?.totalImpuestosTrasladados ?? null,
      total_impuestos_retenidos: c.impuestos?.totalImpuestosRetenidos ?? null,
      total: c.total,
      vigente_hasta: new Date(instante.getTime() + config.dias_autofactura * DAY).toISOString(),
      factura_id: null,
      factura_global_id: null,
      nota_credito_id: null,
      cancelado_at: null,
      created_at: ahora.toISOString(),
      updated_at: ahora.toISOString(),
    };
    const avanzar = d1
      .prepare(`INSERT INTO hexafac_folios (client_application_id, mode, serie, ultimo) VALUES (?, ?, ?, 1) ON CONFLICT DO UPDATE SET ultimo = ultimo + 1`)
      .bind(t.applicationId, t.mode, SERIE_RECIBOS);
    const folioSql = row.folio === null ? '(SELECT CAST(ultimo AS TEXT) FROM hexafac_folios WHERE client_application_id = ? AND mode = ? AND serie = ?)' : '?';
    const folioParams = row.folio === null ? [t.applicationId, t.mode, SERIE_RECIBOS] : [row.folio];
    const insert = d1
      .prepare(
        `INSERT INTO hexafac_recibos (id, client_application_id, mode, status, folio, external_id, clave, fecha, forma_pago, moneda, datos, subtotal,
           descuento, total_impuestos_trasladados, total_impuestos_retenidos, total, vigente_hasta, created_at, updated_at)
         VALUES (?, ?, ?, ?, ${folioSql}, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .bind(
        row.id, row.client_application_id, row.mode, row.status, ...folioParams, row.external_id, row.clave, row.fecha, row.forma_pago, row.moneda,
        JSON.stringify(row.datos), row.subtotal, row.descuento, row.total_impuestos_trasladados, row.total_impuestos_retenidos, row.total,
        row.vigente_hasta, row.created_at, row.updated_at,
      );
    // the answer is the stored row: read back after the batch (its automatic folio comes from the counter)
    const respuesta = async () => findOwned(deps.db, recibos, t, id, 'El recibo');
    for (let intento = 0; ; intento++) {
      try {
        // the key's answer needs the folio, known only after the batch: the key is stored by a second batch below
        await d1.batch([...(row.folio === null ? [avanzar] : []), insert]);
        break;
      } catch (err) {
        const v = constraintViolation(err);
        if (v?.table !== 'hexafac_recibos') throw err;
        if (v.columns.includes('external_id')) {
          throw new DomainError('recibo_duplicado', 'conflict', `Ya existe un recibo con external_id ${row.external_id}.`, [{ path: 'external_id', message: 'Ya usado.' }]);
        }
        if (v.columns.includes('folio')) {
          // an automatic folio that met one given by hand moves past it
          if (row.folio === null && intento < 50) continue;
          throw new DomainError('folio_duplicado', 'conflict', `Ya existe un recibo con folio ${row.folio ?? ''}.`.trim(), [{ path: 'folio', message: 'Folio ya usado.' }]);
        }
        // the clave's unique index: a collision of ≥ 80 random bits, in practice never; a new one
        if (v.columns.includes('clave') && intento < 3) {
          row.clave = nuevaClave();
          continue;
        }
        throw err;
      }
    }
    const guardado = await respuesta();
    const recibo = await reciboIdem(guardado);
    if (recibo.length) await d1.batch(recibo);
    return guardado;
  });
}

// ---------- reading ----------

export interface FiltrosRecibos {
  limit: number;
  cursor?: string;
  status?: ReciboStatus;
  /** fecha ≥ desde (YYYY-MM-DD, local) */
  desde?: string;
  /** fecha ≤ hasta (YYYY-MM-DD, local, the whole day) */
  hasta?: string;
}

export async function listarRecibos(deps: DbDeps, t: Tenant, f: FiltrosRecibos) {
  const rows = await tenantDb(deps, t)
    .db.select()
    .from(recibos)
    .where(
      tenantWhere(
        recibos,
        t,
        cursorCondition(recibos.id, f.cursor),
        f.status ? eq(recibos.status, f.status) : undefined,
        f.desde ? gte(recibos.fecha, f.desde) : undefined,
        f.hasta ? lte(recibos.fecha, `${f.hasta}T23:59:59`) : undefined,
      ),
    )
    .orderBy(desc(recibos.id))
    .limit(f.limit + 1)
    .all();
  return toPage(rows, f.limit, (r) => r);
}

export const cargarRecibo = (deps: DbDeps, t: Tenant, id: string): Promise<Recibo> => findOwned(deps.db, recibos, t, id, 'El recibo');

/** Cancels a recibo not yet invoiced (the sale was undone): 409 once it is in a CFDI or already cancelled. */
export async function cancelarRecibo(deps: Pick<Deps, 'db' | 'd1' | 'clock'>, t: Tenant, id: string): Promise<Recibo> {
  const antes = await cargarRecibo(deps, t, id);
  const ahora = deps.clock().toISOString();
  const r = await tenantDb(deps, t)
    .db.update(recibos)
    .set({ status: 'cancelado', cancelado_at: ahora, updated_at: ahora })
    .where(tenantWhere(recibos, t, eq(recibos.id, id), eq(recibos.status, 'vigente')))
    .run();
  if (!r.meta.changes) {
    const actual = (await cargarRecibo(deps, t, id)).status;
    throw new DomainError('recibo_no_cancelable', 'conflict', `Solo un recibo vigente puede cancelarse; este está ${actual}.`);
  }
  return { ...antes, status: 'cancelado', cancelado_at: ahora, updated_at: ahora };
}

/**
 * The portal's lookup by the clave a customer typed: null for every way it can fail (unknown or suspended slug,
 * unknown clave, another application's recibo) so that nothing tells them apart.
 */
export async function reciboPorClave(deps: DbDeps, slug: string, clave: string): Promise<{ aplicacion: Aplicacion; tenant: Tenant; recibo: Recibo } | null> {
  const normal = normalizarClave(clave);
  if (!normal) return null;
  const aplicacion = await deps.db.select().from(clientApplications).where(eq(clientApplications.autofactura_slug, slug.toLowerCase())).get();
  if (!aplicacion || aplicacion.status !== 'active') return null;
  // the clave is unique across tenants; the application narrows it so another merchant's slug never finds it
  const recibo = await deps.db
    .select()
    .from(recibos)
    .where(and(eq(recibos.clave, normal), eq(recibos.client_application_id, aplicacion.id)))
    .get();
  if (!recibo) return null;
  return { aplicacion, tenant: { applicationId: aplicacion.id, mode: recibo.mode }, recibo };
}

// ---------- the rule ----------

/** Why a recibo cannot be invoiced on its own now, in words for its customer; null when it can. */
export function impedimentoAutofactura(recibo: Recibo, config: Required<ConfiguracionRecibos>, ahora: Date): { code: string; message: string } | null {
  switch (recibo.status) {
    case 'cancelado':
      return { code: 'recibo_cancelado', message: 'Este ticket fue cancelado por el comercio; ya no puede facturarse.' };
    case 'facturado':
      return { code: 'recibo_facturado', message: 'Este ticket ya fue facturado.' };
    case 'facturado_global':
      // with its nota de crédito issued the recibo is already out of the global, whatever the configuration says now
      if (config.tras_global === 'rechazar' && !recibo.nota_credito_id) {
        return {
          code: 'recibo_en_factura_global',
          message: 'Este ticket ya se incluyó en la factura global del periodo; por las reglas del SAT ya no puede facturarse por separado.',
        };
      }
      break;
    case 'vigente':
      break;
  }
  if (ahora.toISOString() > recibo.vigente_hasta) {
    return { code: 'recibo_vencido', message: `El plazo para facturar este ticket terminó el ${recibo.vigente_hasta.slice(0, 10)}.` };
  }
  return null;
}

// ---------- invoicing one ----------

export interface DatosFacturacion {
  receptor: { rfc: string; nombre: string; domicilio_fiscal: string; regimen_fiscal: string; uso_cfdi: string };
  email?: string;
}

/**
 * Issues the recibo's own CFDI I to its customer, through the facturas' emission (folio, sealing, PAC, R2,
 * webhooks), reserving the recibo in the same D1 batch: a recibo another request (or the factura global) took
 * in the meantime makes the whole batch fail, and nothing is stored (409 recibo_no_facturable). A recibo in a
 * factura global first gets its nota de crédito (sacarDeLaGlobal).
 */
export async function facturarRecibo(
  deps: Deps,
  t: Tenant,
  reciboId: string,
  datos: DatosFacturacion,
  opts: { idempotencyKey?: string; aplicacion?: Aplicacion; simulacion?: Simulacion } = {},
): Promise<Idempotent<Aceptada>> {
  const leido = await cargarRecibo(deps, t, reciboId);
  const app = opts.aplicacion ?? (await cargarAplicacion(deps, t));
  const solicitud = {
    receptor: datos.receptor,
    conceptos: (leido.datos as { conceptos: unknown[] }).conceptos,
    forma_pago: leido.forma_pago,
    metodo_pago: 'PUE',
    moneda: leido.moneda,
  };
  const recibo = leido.status === 'facturado_global' ? await sacarDeLaGlobal(deps, t, app, leido, solicitud) : leido;
  // The rule is checked inside the emission's idempotent run: a replay answers what the first call did, though
  // the recibo is no longer vigente by then.
  const tipo: TipoEmision = {
    ...FACTURA,
    operacion: `recibos.facturar:${recibo.id}`,
    preparar: async (d, tt, entrada, emisor) => {
      const impedimento = impedimentoAutofactura(recibo, configuracionRecibos(app), deps.clock());
      if (impedimento) throw noFacturable(impedimento);
      const prep = await FACTURA.preparar(d, tt, entrada, emisor);
      return prep.ok ? { ...prep, extra: (facturaId) => reservar(deps.d1, recibo, facturaId, deps.clock()) } : prep;
    },
  };
  try {
    return await aceptar(deps, t, tipo, solicitud, {
      idempotencyKey: opts.idempotencyKey,
      aplicacion: app,
      simulacion: opts.simulacion,
      origen: 'recibo',
      enviarA: datos.email ? [datos.email] : undefined,
    });
  } catch (err) {
    if (constraintViolation(err)?.table === 'hexafac_recibos') {
      throw noFacturable({ code: 'recibo_tomado', message: 'Este ticket acaba de facturarse o de incluirse en una factura global.' });
    }
    throw err;
  }
}

const noFacturable = (i: { code: string; message: string }, headers?: Record<string, string>) =>
  new DomainError('recibo_no_facturable', 'conflict', i.message, [{ path: 'recibo', code: i.code, message: i.message }], headers);

/**
 * Takes a recibo out of its factura global (tras_global 'nota_credito'): the nota de crédito of the guía's Apéndice 2,
 * III (solicitudNotaCredito), through the notas de crédito's emission (its aplicación lowers the global's saldo), and
 * returns the recibo as it is now. The order, so that nothing is done twice and nothing lost:
 * 1. the customer's CFDI is checked first (a dry run): a receptor the SAT refuses issues no nota;
 * 2. the nota's batch records it in the recibo (nota_credito_id), guarded: only while the recibo is in that global
 *    with no nota, else the whole batch fails — so there is one nota a recibo, whichever request, retry or
 *    Idempotency-Key replay gets there first (a retry finds it recorded and goes straight to 3);
 * 3. the factura's batch (reservar) takes the recibo only while that very nota is recorded. A nota that ends
 *    rechazada, error or cancelada before then is erased from the recibo (recibosTrasTransicion), and the next try
 *    issues a new one.
 * The global must be stamped already: the nota relates its UUID (409 factura_global_en_proceso while it is not).
 */
async function sacarDeLaGlobal(deps: Deps, t: Tenant, app: Aplicacion, recibo: Recibo, solicitud: Record<string, unknown>): Promise<Recibo> {
  const impedimento = impedimentoAutofactura(recibo, configuracionRecibos(app), deps.clock());
  if (impedimento) throw noFacturable(impedimento);
  if (recibo.nota_credito_id) return recibo;
  const v = await validar(deps, t, FACTURA, solicitud, { aplicacion: app });
  // a missing CSD is the nota's own refusal (csd_no_configurado), not a rule of this CFDI
  const errores = v.errores.filter((e) => e.code !== 'csd_no_configurado');
  if (errores.length) throw DomainError.validation(errores, 'El comprobante no cumple las reglas del SAT.');
  const global = await findOwned(deps.db, facturas, t, recibo.factura_global_id!, 'La factura global');
  if (!global.uuid) {
    throw noFacturable({ code: 'factura_global_en_proceso', message: 'La factura global que incluye este ticket aún se está timbrando; vuelve a intentarlo en unos minutos.' }, { 'Retry-After': '60' });
  }
  const tipo: TipoEmision = {
    ...NOTA_CREDITO,
    operacion: `recibos.nota_credito:${recibo.id}`,
    preparar: async (d, tt, entrada, emisor) => {
      const prep = await NOTA_CREDITO.preparar(d, tt, entrada, emisor);
      return prep.ok ? { ...prep, extra: (notaId) => [...(prep.extra?.(notaId) ?? []), ...registrarNota(deps.d1, recibo, notaId, deps.clock())] } : prep;
    },
  };
  try {
    const { value } = await aceptar(deps, t, tipo, solicitudNotaCredito(app, recibo, global.uuid), { aplicacion: app, origen: 'recibo' });
    return { ...recibo, nota_credito_id: value.id };
  } catch (err) {
    // another request recorded the recibo's nota first: its guard, or its aplicación on the global's saldo, failed ours
    const perdida = constraintViolation(err)?.table === 'hexafac_recibos' || (err instanceof DomainError && err.code === 'saldo_cambio');
    if (!perdida) throw err;
    const actual = await cargarRecibo(deps, t, recibo.id);
    if (actual.status === 'facturado_global' && actual.nota_credito_id) return actual;
    if (err instanceof DomainError) throw err;
    throw noFacturable(impedimentoAutofactura(actual, configuracionRecibos(app), deps.clock()) ?? { code: 'recibo_tomado', message: 'Este ticket acaba de cambiar; vuelve a intentarlo.' });
  }
}

/**
 * The nota de crédito's record in the recibo, for the nota's own batch: set only on the recibo still in its global
 * with no nota; when that guard matched nothing, re-inserting the row's own id fails the batch (as reservar does).
 */
function registrarNota(d1: D1Database, recibo: Recibo, notaId: string, ahora: Date): D1PreparedStatement[] {
  return [
    d1
      .prepare(
        `UPDATE hexafac_recibos SET nota_credito_id = ?, updated_at = ?
         WHERE id = ? AND status = 'facturado_global' AND factura_global_id = ? AND nota_credito_id IS NULL`,
      )
      .bind(notaId, ahora.toISOString(), recibo.id, recibo.factura_global_id),
    d1.prepare(`INSERT INTO hexafac_recibos SELECT * FROM hexafac_recibos WHERE id = ? AND nota_credito_id IS NOT ?`).bind(recibo.id, notaId),
  ];
}

/**
 * The recibo's reservation, for the CFDI's own batch: it takes the recibo only from the status (and nota de crédito)
 * it was read in; when that guard matched nothing (someone took it first, or its nota failed meanwhile), the second
 * statement re-inserts the row's own id, and the unique primary key fails the whole batch — the CFDI, its folio and
 * the Idempotency-Key's answer with it.
 */
function reservar(d1: D1Database, recibo: Recibo, facturaId: string, ahora: Date): D1PreparedStatement[] {
  return [
    d1
      .prepare(`UPDATE hexafac_recibos SET status = 'facturado', factura_id = ?, updated_at = ? WHERE id = ? AND status = ? AND factura_id IS NULL AND nota_credito_id IS ?`)
      .bind(facturaId, ahora.toISOString(), recibo.id, recibo.status, recibo.nota_credito_id),
    d1
      .prepare(`INSERT INTO hexafac_recibos SELECT * FROM hexafac_recibos WHERE id = ? AND factura_id IS NOT ?`)
      .bind(recibo.id, facturaId),
  ];
}

// ---------- the jobs' side ----------

/** End states of a CFDI that give its recibos back. */
const LIBERAN = ['rechazada', 'error', 'cancelada'];

/**
 * Extra statements for a comprobante's transition batch (src/jobs/procesar-factura.ts, cancelar-factura.ts), each
 * guarded by that very transition (transicion_id), so a lost race or a redelivery does nothing twice:
 * - a recibo's nota de crédito (tipo E) rechazada / error / cancelada while its factura is not issued yet → erased
 *   from the recibo, so the next try issues another (once the factura is issued it stays: see the README);
 * - a recibo's own CFDI timbrada → the `recibo.facturado` event (the recibo and the comprobante);
 * - a recibo's own CFDI rechazada / error / cancelada → the recibo back to vigente (or to facturado_global if a
 *   global still holds it);
 * - a factura global rechazada / error / cancelada → its recibos back to vigente (a nota to it goes with it).
 */
export function recibosTrasTransicion(d1: D1Database, factura: Factura, cambio: CambioDeEstado): D1PreparedStatement[] {
  const nuevo = cambio.despues.status;
  const guardia = `EXISTS (SELECT 1 FROM hexafac_facturas WHERE id = ? AND transicion_id = ?)`;
  const ahora = cambio.despues.updated_at;
  if (factura.origen === 'recibo' && factura.tipo === 'E') {
    if (!LIBERAN.includes(nuevo)) return [];
    return [
      d1
        .prepare(`UPDATE hexafac_recibos SET nota_credito_id = NULL, updated_at = ? WHERE nota_credito_id = ? AND status = 'facturado_global' AND ${guardia}`)
        .bind(ahora, factura.id, factura.id, cambio.eventoId),
    ];
  }
  if (factura.origen === 'recibo' && nuevo === 'timbrada') {
    return [
      d1
        .prepare(
          `INSERT INTO hexafac_eventos (id, client_application_id, mode, factura_id, type, status_anterior, status_nuevo, data, created_at)
           SELECT ?, r.client_application_id, r.mode, ?, 'recibo.facturado', NULL, NULL,
             json_object('recibo', json_object('id', r.id, 'folio', r.folio, 'external_id', r.external_id, 'fecha', r.fecha, 'total', r.total, 'status', r.status),
                         'comprobante', json(?)), ?
           FROM hexafac_recibos r WHERE r.factura_id = ? AND ${guardia}`,
        )
        .bind(uuidv7(Date.parse(ahora)), factura.id, JSON.stringify(datosComprobante(cambio.despues)), ahora, factura.id, factura.id, cambio.eventoId),
    ];
  }
  if (!LIBERAN.includes(nuevo)) return [];
  if (factura.origen === 'recibo') {
    return [
      d1
        .prepare(
          `UPDATE hexafac_recibos SET status = CASE WHEN factura_global_id IS NULL THEN 'vigente' ELSE 'facturado_global' END, factura_id = NULL, updated_at = ?
           WHERE factura_id = ? AND status = 'facturado' AND ${guardia}`,
        )
        .bind(ahora, factura.id, factura.id, cambio.eventoId),
    ];
  }
  if (factura.origen === 'global') {
    return [
      d1
        .prepare(
          `UPDATE hexafac_recibos SET status = 'vigente', factura_global_id = NULL, nota_credito_id = NULL, updated_at = ?
           WHERE factura_global_id = ? AND status = 'facturado_global' AND ${guardia}`,
        )
        .bind(ahora, factura.id, factura.id, cambio.eventoId),
    ];
  }
  return [];
}

// ---------- configuration ----------

export interface ConfiguracionEntrada extends ConfiguracionRecibos {
  autofactura_slug?: string | null;
}

export const SLUG_RE = /^[a-z0-9](?:[a-z0-9-]{1,38})[a-z0-9]$/;

export const vistaConfiguracion = (app: Aplicacion) => ({ autofactura_slug: app.autofactura_slug, ...configuracionRecibos(app) });

/** Changes the given fields of the application's recibos configuration; a slug another application has is a 409. */
export async function configurarRecibos(deps: Pick<Deps, 'db' | 'd1' | 'clock'>, t: Tenant, cambios: ConfiguracionEntrada): Promise<ReturnType<typeof vistaConfiguracion>> {
  const app = await cargarAplicacion(deps, t);
  const errores: ErrorDetail[] = [];
  const { autofactura_slug: slug, ...config } = cambios;
  if (slug !== undefined && slug !== null && !SLUG_RE.test(slug)) {
    errores.push({ path: 'autofactura_slug', code: 'HFX_SLUG', message: 'De 3 a 40 caracteres: minúsculas, dígitos y guiones (no al inicio ni al final).' });
  }
  const dias = config.dias_autofactura;
  if (dias !== undefined && (!Number.isInteger(dias) || dias < DIAS_AUTOFACTURA.min || dias > DIAS_AUTOFACTURA.max)) {
    errores.push({ path: 'dias_autofactura', code: 'HFX_DIAS_AUTOFACTURA', message: `Un número entero de días entre ${DIAS_AUTOFACTURA.min} y ${DIAS_AUTOFACTURA.max}.` });
  }
  // the automatic global would be refused each period: refused now, by the core's own rule (CFDI40132)
  if (config.periodicidad_global) errores.push(...problemasPeriodicidad(app, config.periodicidad_global, 'periodicidad_global', deps.clock()));
  if (errores.length) throw DomainError.validation(errores);
  const recibos_config = { ...(app.recibos_config ?? {}), ...config };
  try {
    await deps.db
      .update(clientApplications)
      .set({ recibos_config, ...(slug !== undefined ? { autofactura_slug: slug } : {}), updated_at: new Date().toISOString() })
      .where(eq(clientApplications.id, t.applicationId))
      .run();
  } catch (err) {
    if (constraintViolation(err)?.columns.includes('autofactura_slug')) {
      throw new DomainError('slug_en_uso', 'conflict', `La dirección /autofactura/${slug} ya la usa otro comercio.`, [{ path: 'autofactura_slug', message: 'Ya en uso.' }]);
    }
    throw err;
  }
  return vistaConfiguracion({ ...app, recibos_config, ...(slug !== undefined ? { autofactura_slug: slug } : {}) });
}

// ---------- the QR of the portal's URL ----------

const MARGEN_QR = 4;

/** The QR of `texto` as SVG: one path of dark modules, a 4-module quiet zone. */
export function qrSvg(texto: string): string {
  const m = modulosQr(texto);
  const n = m.length + 2 * MARGEN_QR;
  let d = '';
  m.forEach((fila, y) => fila.forEach((oscuro, x) => (d += oscuro ? `M${x + MARGEN_QR} ${y + MARGEN_QR}h1v1h-1z` : '')));
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${n} ${n}" width="${n * 8}" height="${n * 8}" shape-rendering="crispEdges"><rect width="${n}" height="${n}" fill="#fff"/><path d="${d}" fill="#000"/></svg>`;
}

/** The QR of `texto` as a 1-bit grayscale PNG, `escala` pixels a module. */
export async function qrPng(texto: string, escala = 8): Promise<Uint8Array> {
  const m = modulosQr(texto);
  const lado = (m.length + 2 * MARGEN_QR) * escala;
  const bytesFila = Math.ceil(lado / 8);
  const crudo = new Uint8Array((bytesFila + 1) * lado);
  for (let y = 0; y < lado; y++) {
    const fila = y * (bytesFila + 1); // filter byte 0, then the row; bit 1 is white
    for (let x = 0; x < lado; x++) {
      const my = Math.floor(y / escala) - MARGEN_QR;
      const mx = Math.floor(x / escala) - MARGEN_QR;
      const oscuro = m[my]?.[mx] === true;
      if (!oscuro) crudo[fila + 1 + (x >> 3)]! |= 0x80 >> (x & 7);
    }
  }
  const zlib = new Uint8Array(await new Response(new Blob([crudo]).stream().pipeThrough(new CompressionStream('deflate'))).arrayBuffer());
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, lado);
  v.setUint32(4, lado);
  ihdr.set([1, 0, 0, 0, 0], 8); // bit depth 1, grayscale, deflate, no filter, no interlace
  return concatenar([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), trozo('IHDR', ihdr), trozo('IDAT', zlib), trozo('IEND', new Uint8Array())]);
}

function trozo(tipo: string, datos: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + datos.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, datos.length);
  out.set(new TextEncoder().encode(tipo), 4);
  out.set(datos, 8);
  v.setUint32(8 + datos.length, crc32(out.subarray(4, 8 + datos.length)));
  return out;
}

const concatenar = (partes: Uint8Array[]) => {
  const out = new Uint8Array(partes.reduce((n, p) => n + p.length, 0));
  let i = 0;
  for (const p of partes) (out.set(p, i), (i += p.length));
  return out;
};
