import { asc, eq, gte, lt } from 'drizzle-orm';
import { dec, fechaLocal, formatear, prepararComprobante, zonaHoraria, type ConceptoEntrada, type Dec } from '../cfdi';
import { constraintViolation } from '../db/constraints';
import { recibos, type ConfiguracionRecibos } from '../db/schema';
import type { Deps } from '../deps';
import { DomainError, type ErrorDetail } from '../lib/errors';
import { uuidv7 } from '../lib/ids';
import { withIdempotency, type Idempotent } from '../lib/idempotency';
import { tenantDb, tenantWhere, type Tenant } from '../lib/tenancy';
import { cargarAplicacion, datosDe, emisorDe, type Aplicacion } from './comprobantes';
import { aceptar, validar, type TipoEmision } from './emision';
import { FACTURA } from './facturas';
import { datosComprobante, type CambioDeEstado, type Factura } from './estado';

// The factura global (the SAT's guía de llenado del CFDI global, regla 2.7.1.21 RMF): one CFDI de ingreso to
// PUBLICO EN GENERAL per forma de pago (the guía, Apéndice 2: "se debe realizar un CFDI global por cada una")
// holding, as one Concepto each, the recibos of a period nobody invoiced. The recibos are reserved by the CFDI's
// own batch, guarded by status = 'vigente': a recibo the portal takes at the same moment makes the batch fail as a
// whole (the count guard below), and the selection is read again. So every recibo ends in exactly one CFDI.

export const RFC_PUBLICO = 'XAXX010101000';
export const NOMBRE_PUBLICO = 'PUBLICO EN GENERAL';
export type Periodicidad = NonNullable<ConfiguracionRecibos['periodicidad_global']>;
export const PERIODICIDADES = ['01', '02', '03', '04', '05'] as const satisfies readonly Periodicidad[];
const SERIE_GLOBAL = 'G';
/** Selections read again when a recibo was taken between reading and reserving. */
const INTENTOS_RESERVA = 5;

export interface EntradaGlobal {
  periodicidad: Periodicidad;
  /** c_Meses: 01–12, or 13–18 (bimestres) with periodicidad 05. */
  meses: string;
  año: number;
  /** Any day of the period (AAAA-MM-DD): required for 01 diario, 02 semanal and 03 quincenal. */
  fecha?: string;
  serie?: string;
}

/** The recibos' fechas a period covers: [desde, hasta), local dates as the recibos carry them. */
export interface Periodo {
  periodicidad: Periodicidad;
  meses: string;
  año: number;
  desde: string;
  hasta: string;
}

const d2 = (n: number) => String(n).padStart(2, '0');
const dia = (año: number, mes: number, d: number) => new Date(Date.UTC(año, mes - 1, d)).toISOString().slice(0, 10);
const invalido = (path: string, message: string, code = 'HFX_PERIODO') => DomainError.validation([{ path, message, code }], 'El periodo de la factura global no es válido.');

/**
 * The period a global covers. Diario: the fecha's day; semanal: Monday to Sunday of the fecha, within its month (a week
 * across two months is two globals, as Meses names one month); quincenal: days 1–15 or 16 to the month's end; mensual:
 * the month; bimestral: the two months of meses 13–18.
 */
export function periodoDe(e: Omit<EntradaGlobal, 'serie'>): Periodo {
  const m = Number(e.meses);
  const bimestral = e.periodicidad === '05';
  if (bimestral ? !(m >= 13 && m <= 18) : !(m >= 1 && m <= 12)) {
    throw invalido('meses', bimestral ? 'Con periodicidad 05 (bimestral) los meses son 13 a 18.' : 'Con periodicidad 01 a 04 los meses son 01 a 12.', bimestral ? 'CFDI40135' : 'CFDI40134');
  }
  const base = { periodicidad: e.periodicidad, meses: e.meses, año: e.año };
  if (bimestral) {
    const primero = (m - 12) * 2 - 1;
    return { ...base, desde: dia(e.año, primero, 1), hasta: dia(e.año, primero + 2, 1) };
  }
  const inicioMes = dia(e.año, m, 1);
  const finMes = dia(e.año, m + 1, 1);
  if (e.periodicidad === '04') return { ...base, desde: inicioMes, hasta: finMes };
  if (!e.fecha) throw invalido('fecha', 'Con periodicidad diaria, semanal o quincenal indica `fecha`, un día del periodo.', 'HFX_CAMPO_REQUERIDO');
  if (!(e.fecha >= inicioMes && e.fecha < finMes)) throw invalido('fecha', `La fecha debe estar en el mes ${e.meses} de ${e.año}.`);
  const [, , d] = e.fecha.split('-').map(Number) as [number, number, number];
  if (e.periodicidad === '01') return { ...base, desde: e.fecha, hasta: dia(e.año, m, d + 1) };
  if (e.periodicidad === '03') return { ...base, ...(d <= 15 ? { desde: inicioMes, hasta: dia(e.año, m, 16) } : { desde: dia(e.año, m, 16), hasta: finMes }) };
  // semanal: Monday (getUTCDay 1) of the fecha's week, clipped to the month
  const dow = (new Date(`${e.fecha}T00:00:00Z`).getUTCDay() + 6) % 7;
  const lunes = dia(e.año, m, d - dow);
  const siguienteLunes = dia(e.año, m, d - dow + 7);
  return { ...base, desde: lunes < inicioMes ? inicioMes : lunes, hasta: siguienteLunes > finMes ? finMes : siguienteLunes };
}

/**
 * What the fiscal core says of an emisor's InformacionGlobal Periodicidad (CFDI40132: 05, bimestral, only for régimen
 * 621), at `path`: asked before any recibo is read (the configuration, the start of a global), so the rule stays the
 * core's alone. The question is a minimal comprobante to PUBLICO EN GENERAL of that periodicidad; only what the core
 * finds in the periodicidad itself is the answer.
 */
export function problemasPeriodicidad(app: Aplicacion, periodicidad: Periodicidad, path: string, ahora: Date): ErrorDetail[] {
  const emisor = emisorDe(app);
  const año = Number(fechaLocal(ahora, zonaHoraria(emisor.lugarExpedicion)).slice(0, 4));
  const prep = prepararComprobante(
    {
      receptor: receptorPublico(app),
      conceptos: [{ clave_prod_serv: '01010101', cantidad: '1', clave_unidad: 'ACT', descripcion: 'Venta', valor_unitario: '1.00', objeto_imp: '01' }],
      forma_pago: '01',
      metodo_pago: 'PUE',
      moneda: 'MXN',
      informacion_global: { periodicidad, meses: periodicidad === '05' ? '13' : '01', año },
    },
    emisor,
    { tipo: 'I', ahora },
  );
  return prep.ok ? [] : prep.errors.filter((e) => e.path === 'informacion_global.periodicidad').map((e) => ({ path, message: e.message, ...(e.code ? { code: e.code } : {}) }));
}

const receptorPublico = (app: Aplicacion) => ({ rfc: RFC_PUBLICO, nombre: NOMBRE_PUBLICO, domicilio_fiscal: app.lugar_expedicion, regimen_fiscal: '616', uso_cfdi: 'S01' });

/** The period of `periodicidad` that holds the day `fecha` (AAAA-MM-DD): what the cron issues once it has closed. */
export function periodoQueContiene(periodicidad: Periodicidad, fecha: string): Periodo {
  const [año, mes] = fecha.split('-').map(Number) as [number, number];
  const meses = periodicidad === '05' ? String(12 + Math.ceil(mes / 2)) : d2(mes);
  return periodoDe({ periodicidad, meses, año, fecha });
}

export type Recibo = typeof recibos.$inferSelect;

/** Why a recibo cannot go into a global (it must be invoiced on its own), or null. */
export function motivoFueraDeGlobal(r: Recibo): string | null {
  // the guía: with retenciones "no se puede aplicar la facilidad … y debe emitirse un CFDI por cada operación"
  const conceptos = conceptosDe(r);
  if (conceptos.some((c) => (c.impuestos?.retenciones ?? []).length > 0)) return 'Tiene retenciones: la guía pide un CFDI por operación.';
  // Cantidad is 1 in a global, and a Cuota's base is the units sold
  if (conceptos.some((c) => (c.impuestos?.traslados ?? []).some((t) => t.tipo_factor === 'Cuota'))) return 'Tiene un impuesto por cuota: su base son las unidades, no cabe con Cantidad 1.';
  if (r.moneda !== 'MXN') return 'No está en MXN: una factura global lleva una sola moneda y su tipo de cambio.';
  return null;
}

const conceptosDe = (r: Recibo) => ((r.datos as { conceptos?: ConceptoEntrada[] }).conceptos ?? []) as ConceptoEntrada[];

/**
 * The Conceptos of one recibo in a global: ClaveProdServ 01010101, ClaveUnidad ACT, Cantidad 1, Descripcion "Venta",
 * NoIdentificacion its folio, ValorUnitario its subtotal and Descuento its descuento, its traslados grouped by impuesto,
 * tipo factor and tasa (the guía's example). A recibo whose lines are taxed differently (IVA 16 % and 0 %, or exempt) is one
 * Concepto per way it is taxed, each with the recibo's folio: one Concepto's Base is its whole Importe − Descuento.
 */
export function conceptosGlobales(r: Recibo): ConceptoEntrada[] {
  const grupos = new Map<string, { objetoImp: string; traslados: NonNullable<ConceptoEntrada['impuestos']>['traslados']; importe: Dec; descuento?: Dec }>();
  for (const c of conceptosDe(r)) {
    const traslados = (c.impuestos?.traslados ?? []).map((t) => ({
      impuesto: t.impuesto,
      tipo_factor: t.tipo_factor,
      ...(t.tasa_o_cuota === undefined ? {} : { tasa_o_cuota: formatear(dec(t.tasa_o_cuota), 6) }),
    }));
    const clave = JSON.stringify([c.objeto_imp, traslados]);
    const importe = dec(c.cantidad).times(dec(c.valor_unitario)).toDecimalPlaces(6);
    const g = grupos.get(clave);
    const descuento = c.descuento === undefined ? undefined : dec(c.descuento);
    if (!g) grupos.set(clave, { objetoImp: c.objeto_imp, traslados, importe, descuento });
    else {
      g.importe = g.importe.plus(importe);
      if (descuento) g.descuento = g.descuento ? g.descuento.plus(descuento) : descuento;
    }
  }
  return [...grupos.values()].map((g) => ({
    clave_prod_serv: '01010101',
    no_identificacion: r.folio,
    cantidad: '1',
    clave_unidad: 'ACT',
    descripcion: 'Venta',
    valor_unitario: texto(g.importe),
    ...(g.descuento && !g.descuento.isZero() ? { descuento: texto(g.descuento) } : {}),
    objeto_imp: g.objetoImp,
    ...(g.traslados.length ? { impuestos: { traslados: g.traslados, retenciones: [] } } : {}),
  }));
}

const texto = (v: Dec) => formatear(v, Math.max(2, v.decimalPlaces()));

export interface GlobalEmitida {
  id: string;
  status: 'pendiente';
  forma_pago: string;
  recibos: number;
  total: string;
}

export interface ResultadoGlobal {
  periodo: Periodo;
  facturas: GlobalEmitida[];
  recibos: number;
  /** Recibos of the period that cannot go into a global: they stay vigente, to be invoiced on their own. */
  excluidos: { id: string; folio: string; motivo: string }[];
}

/** The request of the CFDI global of one forma de pago. */
function solicitudGlobal(app: Aplicacion, periodo: Periodo, formaPago: string, serie: string, de: Recibo[]) {
  return {
    receptor: receptorPublico(app),
    conceptos: de.flatMap(conceptosGlobales),
    forma_pago: formaPago,
    metodo_pago: 'PUE',
    moneda: 'MXN',
    serie,
    informacion_global: { periodicidad: periodo.periodicidad, meses: periodo.meses, año: periodo.año },
  };
}

/**
 * The nota de crédito that takes a recibo out of its factura global so its customer gets a CFDI of their own: the
 * guía's Apéndice 2, III ("CFDI de egreso relacionado por la emisión de un CFDI nominativo"). As its example: tipo E to
 * PUBLICO EN GENERAL (XAXX010101000, régimen 616, the emisor's código postal) with uso G02 (devoluciones, descuentos o
 * bonificaciones), related 01 to the global's UUID, the recibo's forma de pago and PUE, no InformacionGlobal, and the
 * very Conceptos the global carries for it (its folio as NoIdentificacion, Cantidad 1, ACT, its amounts and taxes) with
 * ClaveProdServ 84111506, so it cancels exactly what the global declared of that operation.
 */
export function solicitudNotaCredito(app: Aplicacion, r: Recibo, uuidGlobal: string) {
  return {
    receptor: { ...receptorPublico(app), uso_cfdi: 'G02' },
    cfdi_relacionados: [{ tipo_relacion: '01', uuids: [uuidGlobal] }],
    conceptos: conceptosGlobales(r).map((c) => ({ ...c, clave_prod_serv: '84111506' })),
    forma_pago: r.forma_pago,
    metodo_pago: 'PUE',
    moneda: 'MXN',
  };
}

/**
 * The FACTURA kind, whose batch also reserves `ids`: the UPDATE guarded by status = 'vigente', then a statement that
 * fails the whole batch (a NOT NULL insert) unless every one of them was reserved for this very CFDI. One bound JSON
 * array (json_each) carries the ids: D1 binds at most 100 parameters a statement, a period may hold thousands.
 */
function tipoGlobal(deps: Deps, t: Tenant, ids: string[]): TipoEmision {
  return {
    ...FACTURA,
    operacion: 'facturas_globales.crear',
    seriePorOmision: SERIE_GLOBAL,
    preparar: async (d, _t, datos, emisor) => {
      const prep = await FACTURA.preparar(d, t, datos, emisor);
      if (!prep.ok) return prep;
      const { d1 } = tenantDb(deps, t);
      return {
        ...prep,
        extra: (facturaId) => [
          d1
            .prepare(
              `UPDATE hexafac_recibos SET status = 'facturado_global', factura_global_id = ?, updated_at = ?
               WHERE client_application_id = ? AND mode = ? AND status = 'vigente' AND id IN (SELECT value FROM json_each(?))`,
            )
            .bind(facturaId, deps.clock().toISOString(), t.applicationId, t.mode, JSON.stringify(ids)),
          d1
            .prepare(`INSERT INTO hexafac_recibos (id) SELECT NULL WHERE (SELECT count(*) FROM hexafac_recibos WHERE factura_global_id = ?) <> ?`)
            .bind(facturaId, ids.length),
        ],
      };
    },
  };
}

/** The batch failed because a recibo of the selection was no longer vigente (the guard above). */
const reciboTomado = (err: unknown) => {
  const v = constraintViolation(err);
  return v?.kind === 'not_null' && v.table === 'hexafac_recibos';
};

/** The period's vigente recibos, oldest first. */
function seleccion(deps: Deps, t: Tenant, p: Periodo): Promise<Recibo[]> {
  return tenantDb(deps, t)
    .db.select()
    .from(recibos)
    .where(tenantWhere(recibos, t, eq(recibos.status, 'vigente'), gte(recibos.fecha, p.desde), lt(recibos.fecha, p.hasta)))
    .orderBy(asc(recibos.fecha), asc(recibos.id))
    .all();
}

export const sinRecibos = (p: Periodo) =>
  new DomainError('sin_recibos_por_facturar', 'invalid', `No hay recibos sin facturar del ${p.desde} al ${p.hasta} (sin incluirlo).`, [
    { path: 'periodo', message: 'Ningún recibo vigente en el periodo.', code: 'sin_recibos_por_facturar' },
  ]);

/**
 * Issues the factura global of a period: one CFDI per forma de pago of its vigente recibos. All of them are checked
 * against the SAT's rules before the first is stored, so a refusal stores none. The Idempotency-Key answers the whole
 * call; without one, a repeated call finds the recibos already reserved and issues only what is left (or nothing: 422).
 */
export async function emitirFacturaGlobal(
  deps: Deps,
  t: Tenant,
  entrada: EntradaGlobal,
  opts: { idempotencyKey?: string; aplicacion?: Aplicacion } = {},
): Promise<Idempotent<ResultadoGlobal>> {
  const periodo = periodoDe(entrada);
  return withIdempotency(deps, t, { key: opts.idempotencyKey, operation: 'facturas_globales.crear', input: entrada }, async () => {
    const app = opts.aplicacion ?? (await cargarAplicacion(deps, t));
    const problemas = problemasPeriodicidad(app, periodo.periodicidad, 'periodicidad', deps.clock());
    if (problemas.length) throw DomainError.validation(problemas, 'El periodo de la factura global no es válido.');
    const serie = entrada.serie ?? (app.recibos_config as ConfiguracionRecibos | null)?.serie_global ?? app.series?.I ?? SERIE_GLOBAL;
    return emitirPeriodo(deps, t, app, periodo, serie);
  });
}

/**
 * Selects the period's vigente recibos and issues a CFDI per forma de pago. A forma de pago whose batch lost a recibo
 * (the portal took it meanwhile) is selected again; the CFDIs already issued stay in the answer.
 */
async function emitirPeriodo(deps: Deps, t: Tenant, app: Aplicacion, periodo: Periodo, serie: string): Promise<ResultadoGlobal> {
  const facturas: GlobalEmitida[] = [];
  for (let intento = 1; ; intento++) {
    const excluidos: ResultadoGlobal['excluidos'] = [];
    const porForma = new Map<string, Recibo[]>();
    for (const r of await seleccion(deps, t, periodo)) {
      const motivo = motivoFueraDeGlobal(r);
      if (motivo) excluidos.push({ id: r.id, folio: r.folio, motivo });
      else porForma.set(r.forma_pago, [...(porForma.get(r.forma_pago) ?? []), r]);
    }
    const resultado = () => ({ periodo, facturas, recibos: facturas.reduce((n, f) => n + f.recibos, 0), excluidos });
    if (!porForma.size) {
      if (facturas.length) return resultado();
      throw sinRecibos(periodo);
    }
    const grupos = [...porForma.entries()].map(([forma, de]) => ({ forma, de, solicitud: solicitudGlobal(app, periodo, forma, serie, de) }));
    // every CFDI checked before the first is stored: a refusal stores none
    const errores: ErrorDetail[] = [];
    for (const g of grupos) {
      const v = await validar(deps, t, tipoGlobal(deps, t, []), g.solicitud, { aplicacion: app });
      // a missing CSD is aceptar's own refusal (csd_no_configurado), not a rule of this CFDI
      errores.push(...v.errores.filter((e) => e.code !== 'csd_no_configurado').map((e) => ({ ...e, path: `forma_pago[${g.forma}].${e.path}` })));
    }
    if (errores.length) throw DomainError.validation(errores, 'La factura global no cumple las reglas del SAT.');
    let tomado = false;
    for (const g of grupos) {
      const ids = g.de.map((r) => r.id);
      try {
        const { value } = await aceptar(deps, t, tipoGlobal(deps, t, ids), g.solicitud, { aplicacion: app, origen: 'global' });
        facturas.push({ id: value.id, status: value.status, forma_pago: g.forma, recibos: ids.length, total: await totalDe(deps, t, value.id) });
      } catch (err) {
        if (!reciboTomado(err)) throw err;
        tomado = true;
      }
    }
    if (!tomado) return resultado();
    if (intento >= INTENTOS_RESERVA) {
      if (facturas.length) return resultado();
      throw new DomainError('recibos_en_uso', 'conflict', 'Los recibos del periodo cambiaron mientras se emitía la factura global; vuelve a intentarlo.', [], { 'Retry-After': '1' });
    }
  }
}

async function totalDe(deps: Deps, t: Tenant, id: string): Promise<string> {
  const { d1 } = tenantDb(deps, t);
  const row = await d1.prepare('SELECT total FROM hexafac_facturas WHERE id = ? AND client_application_id = ? AND mode = ?').bind(id, t.applicationId, t.mode).first<{ total: string }>();
  return row!.total;
}

/**
 * The `factura_global.timbrada` event for the stamping job's timbrada batch of an origen = 'global' comprobante:
 * the comprobante as the transition leaves it, how many recibos it holds and its period (InformacionGlobal).
 * Guarded like the transition's own event (it only finds its row if that very UPDATE happened).
 */
export async function eventoGlobalTimbrada(deps: Deps, factura: Factura, cambio: CambioDeEstado): Promise<D1PreparedStatement[]> {
  if (factura.origen !== 'global') return [];
  const g = (await datosDe(deps, factura)).informacion_global as { periodicidad: string; meses: string; año: number } | undefined;
  const { d1 } = tenantDb(deps, { applicationId: factura.client_application_id, mode: factura.mode });
  const ahora = cambio.despues.updated_at;
  return [
    d1
      .prepare(
        `INSERT INTO hexafac_eventos (id, client_application_id, mode, factura_id, type, status_anterior, status_nuevo, data, created_at)
         SELECT ?, client_application_id, mode, id, 'factura_global.timbrada', ?, status,
                json_object('comprobante', json(?), 'recibos', (SELECT count(*) FROM hexafac_recibos WHERE factura_global_id = ?), 'periodo', json(?)), ?
         FROM hexafac_facturas WHERE id = ? AND transicion_id = ?`,
      )
      .bind(
        uuidv7(Date.parse(ahora) + 1),
        factura.status,
        JSON.stringify(datosComprobante(cambio.despues)),
        factura.id,
        JSON.stringify(g ?? null),
        ahora,
        factura.id,
        cambio.eventoId,
      ),
  ];
}
