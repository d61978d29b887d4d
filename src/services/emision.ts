import { cadenaPrevista, renderXml, type Comprobante, type Emisor, type ValidationIssue } from '../cfdi';
import type { Simulacion } from '../pac/types';
import { constraintViolation } from '../db/constraints';
import type { Deps } from '../deps';
import { DomainError, type ErrorDetail } from '../lib/errors';
import { uuidv7 } from '../lib/ids';
import { withIdempotency, type Idempotent } from '../lib/idempotency';
import { tenantDb, type Tenant } from '../lib/tenancy';
import { resolverReceptor, type Receptor } from './clientes';
import { cargarAplicacion, claveArchivo, emisorDe, type Aplicacion, type TipoComprobante } from './comprobantes';
import { PREFIJO_EVENTO } from './estado';

// Accepting a comprobante, the same for every kind: idempotency → receptor (inline or cliente_id) → the
// issuer's CSD → the kind's own preparation (the fiscal core's validation and arithmetic, plus what the
// kind checks against stored data) → the `pendiente` row with its folio, in one batch → the stamping job.
// A kind is a TipoEmision; src/services/{facturas,notas-credito,complementos-pago}.ts are the three today.
// A borrador goes through the same preparation but is stored as its request, with no folio, no reservation
// and no job: src/services/borradores.ts edits it and sends it to stamp.

export type Preparado =
  | {
      ok: true;
      comprobante: Comprobante;
      /** The input the job will rebuild the CFDI from, when it is not the request itself (P fills in documents). */
      datos?: Record<string, unknown>;
      /** More statements for the same batch, given the new row's id (e.g. the aplicaciones of a P or E). */
      extra?: (facturaId: string) => D1PreparedStatement[];
      /** What the SAT allows but a contador would question (the core's advertencias). */
      advertencias?: ValidationIssue[];
    }
  | { ok: false; errors: ValidationIssue[]; advertencias?: ValidationIssue[] };

export interface TipoEmision {
  tipo: TipoComprobante;
  /** The Idempotency-Key scope of its creation. */
  operacion: string;
  /** Serie when the request gives none. */
  seriePorOmision: string;
  /** The receptor a stored cliente gives this kind (a complemento de pago always uses CP01). */
  receptorDeCliente?: (r: Omit<Receptor, 'cliente_id'>) => Omit<Receptor, 'cliente_id'>;
  preparar(deps: Deps, t: Tenant, datos: Record<string, unknown>, emisor: Emisor): Promise<Preparado>;
}

/** What a creating call gets: the new comprobante's id, its status and any advertencias. */
interface Registrado<S extends 'pendiente' | 'borrador'> {
  id: string;
  status: S;
  advertencias: ErrorDetail[];
}
/** An accepted comprobante: `pendiente` until the job stamps it. */
export type Aceptada = Registrado<'pendiente'>;
/** A stored draft: `borrador` until it is sent to stamp (src/services/borradores.ts). */
export type BorradorCreado = Registrado<'borrador'>;

export interface OpcionesAceptar {
  idempotencyKey?: string;
  /** The issuer's row when the caller already has it (the API's auth loads it with the key). */
  aplicacion?: Aplicacion;
  /** Test mode: the sandbox's failure triggers for this comprobante, kept on its row for the job. */
  simulacion?: Simulacion;
  /** A sustitución (src/services/sustitucion.ts): the comprobante this one replaces, whose receptor it must keep. */
  sustituyeA?: { id: string; receptorRfc: string };
  /** The Idempotency-Key scope, when not the kind's own creation. */
  operacion?: string;
  /** Issued in a batch (src/services/lotes.ts): its row names the batch and position; the batch sends the stamping messages together. */
  lote?: { id: string; indice: number };
  /** Retail: issued for a recibo (the portal, POST /recibos/{id}/facturar) or as a factura global of recibos. */
  origen?: 'recibo' | 'global';
  /** Whom its XML and PDF are emailed to once stamped (the portal's customer). */
  enviarA?: string[];
}

/** A creating request as every client sends it: the comprobante's fields, with `receptor` or `cliente_id`. */
export type Solicitud = Record<string, unknown> & { cliente_id?: string; receptor?: unknown };

/**
 * What accepting and validating share: receptor (inline or cliente_id), the issuer, and the kind's own
 * preparation. Throws the request's own mistakes (both receptor and cliente_id, an unknown cliente…).
 */
export async function preparar(deps: Deps, t: Tenant, tipo: TipoEmision, solicitud: Solicitud, opts: OpcionesAceptar & { exigirCsd: boolean }) {
  const { cliente_id: clienteId, ...datos } = solicitud;
  if (clienteId !== undefined && datos.receptor !== undefined) {
    throw DomainError.validation([{ path: 'cliente_id', code: 'HFX_RECEPTOR_DOBLE', message: 'Indica `receptor` o `cliente_id`, no ambos.' }]);
  }
  if (clienteId === undefined && datos.receptor === undefined) {
    throw DomainError.validation([{ path: 'receptor', code: 'HFX_RECEPTOR_FALTANTE', message: 'Indica `receptor` o `cliente_id`.' }]);
  }
  if (clienteId !== undefined) {
    const { cliente_id: _, ...receptor } = await resolverReceptor(deps, t, clienteId);
    datos.receptor = tipo.receptorDeCliente ? tipo.receptorDeCliente(receptor) : receptor;
  }
  const rfcReceptor = (datos.receptor as { rfc?: unknown } | undefined)?.rfc;
  if (opts.sustituyeA && typeof rfcReceptor === 'string' && rfcReceptor.toUpperCase() !== opts.sustituyeA.receptorRfc) {
    throw DomainError.validation([
      { path: 'receptor.rfc', code: 'HFX_SUSTITUCION_OTRO_RECEPTOR', message: `El CFDI que sustituye debe ser del mismo receptor (${opts.sustituyeA.receptorRfc}).` },
    ]);
  }
  const app = opts.aplicacion ?? (await cargarAplicacion(deps, t));
  if (opts.exigirCsd && !app.csd_certificado) throw sinCsd();
  return { datos, clienteId, app, prep: await tipo.preparar(deps, t, datos, emisorDe(app)) };
}

const SIN_CSD = { path: 'emisor', code: 'csd_no_configurado', message: 'Falta el CSD del emisor.' };
const sinCsd = () => new DomainError('csd_no_configurado', 'invalid', 'La aplicación no tiene un CSD cargado; súbelo en el panel de administración.', [SIN_CSD]);

export const aceptar = (deps: Deps, t: Tenant, tipo: TipoEmision, solicitud: Solicitud, opts: OpcionesAceptar = {}): Promise<Idempotent<Aceptada>> =>
  registrar(deps, t, tipo, solicitud, opts, 'pendiente');

/**
 * Stores a borrador: the same preparation as aceptar (a draft that breaks the SAT's rules is refused the same way),
 * but no CSD is needed yet, no folio is taken, nothing is reserved and nothing is sent to stamp.
 */
export const crearBorrador = (deps: Deps, t: Tenant, tipo: TipoEmision, solicitud: Solicitud, opts: OpcionesAceptar = {}): Promise<Idempotent<BorradorCreado>> =>
  registrar(deps, t, tipo, solicitud, opts, 'borrador');

async function registrar<S extends 'pendiente' | 'borrador'>(
  deps: Deps,
  t: Tenant,
  tipo: TipoEmision,
  solicitud: Solicitud,
  opts: OpcionesAceptar,
  status: S,
): Promise<Idempotent<Registrado<S>>> {
  const borrador = status === 'borrador';
  // a draft and a real one of the same body are two requests: one key cannot answer both
  const idem = { key: opts.idempotencyKey, operation: opts.operacion ?? tipo.operacion, input: borrador ? { ...solicitud, borrador } : solicitud };
  return withIdempotency(deps, t, idem, async (recibo) => {
    const { datos, clienteId, app, prep: preparado } = await preparar(deps, t, tipo, solicitud, { ...opts, exigirCsd: !borrador });
    const prep = comprobantePreparado(preparado);
    const registrado = { id: uuidv7(deps.clock().getTime()), status, advertencias: detallesDe(prep.advertencias ?? []) };
    // The key's answer is stored by the batch that stores the row: a crash cannot keep one without the other.
    const almacenable: Almacenable = {
      // a draft keeps its request as sent (cliente_id, no fecha unless given): it is edited and prepared again
      datos: borrador ? solicitud : (prep.datos ?? datos),
      comprobante: prep.comprobante,
      serie: serieDe(app, tipo, prep.comprobante),
      clienteId,
      // a draft reserves nothing: its aplicaciones are written when it is sent to stamp
      extra: borrador ? undefined : prep.extra,
      simulacion: opts.simulacion,
      sustituyeA: opts.sustituyeA?.id,
      lote: opts.lote,
      origen: opts.origen,
      enviarA: opts.enviarA,
      borrador,
      recibo: await recibo(registrado),
    };
    await almacenar(deps, t, tipo, registrado.id, almacenable);
    if (!opts.lote && !borrador) deps.defer(encolarTimbrado(deps, registrado.id));
    return registrado;
  });
}

/** The kind's preparation, or the SAT's refusal as the one error shape. */
export function comprobantePreparado(prep: Preparado): Extract<Preparado, { ok: true }> {
  if (!prep.ok) throw DomainError.validation(detallesDe(prep.errors), 'El comprobante no cumple las reglas del SAT.');
  return prep;
}

/** The serie a comprobante takes: its own, else the application's for its tipo, else the kind's. */
export const serieDe = (app: Aplicacion, tipo: TipoEmision, c: Comprobante) => c.serie ?? app.series?.[tipo.tipo] ?? tipo.seriePorOmision;

/** A dry run of a creating request: what the SAT's rules say and what the CFDI would be. Stores nothing, no PAC. */
export interface Validacion {
  valido: boolean;
  errores: ErrorDetail[];
  advertencias: ErrorDetail[];
  /**
   * The computed comprobante, its complementos as the XML they would carry, and the cadena original (null without a
   * CSD: it names the certificate).
   */
  comprobante: (Omit<Comprobante, 'complementos'> & { complementos: string[]; cadenaOriginal: string | null }) | null;
}

export async function validar(deps: Deps, t: Tenant, tipo: TipoEmision, solicitud: Solicitud, opts: OpcionesAceptar = {}): Promise<Validacion> {
  let preparado;
  try {
    preparado = await preparar(deps, t, tipo, solicitud, { ...opts, exigirCsd: false });
  } catch (err) {
    // the request's own mistakes are part of the answer, as the creating route would have refused them
    if (err instanceof DomainError && err.kind === 'invalid') return { valido: false, errores: err.details, advertencias: [], comprobante: null };
    throw err;
  }
  const { app, prep } = preparado;
  const advertencias = detallesDe(prep.advertencias ?? []);
  if (!prep.ok) return { valido: false, errores: detallesDe(prep.errors), advertencias, comprobante: null };
  // as almacenar() stores it: the application's or the kind's serie when none is given (an automatic folio is only assigned on creation)
  const comprobante = { ...prep.comprobante, serie: serieDe(app, tipo, prep.comprobante) };
  const certificado = app.csd_certificado && app.csd_no_certificado ? { noCertificado: app.csd_no_certificado, certificadoBase64: app.csd_certificado } : null;
  return {
    valido: certificado !== null,
    errores: certificado ? [] : [SIN_CSD],
    advertencias,
    comprobante: {
      ...comprobante,
      complementos: (comprobante.complementos ?? []).map((c) => renderXml(c.nodo)),
      cadenaOriginal: certificado ? cadenaPrevista(comprobante, certificado) : null,
    },
  };
}

/** The core's issues in the one error shape (the code only where the SAT has one). */
export const detallesDe = (issues: ValidationIssue[]) => issues.map(({ path, message, code }) => ({ path, message, ...(code ? { code } : {}) }));

const MAX_SALTOS_FOLIO = 50;
/** A row stays under ~1 KB: a larger request is kept in R2 (docs/escala.md). */
const DATOS_EN_FILA_MAX = 640;

interface Almacenable {
  datos: Record<string, unknown>;
  comprobante: Comprobante;
  serie: string;
  clienteId?: string;
  extra?: (facturaId: string) => D1PreparedStatement[];
  simulacion?: Simulacion;
  sustituyeA?: string;
  lote?: { id: string; indice: number };
  origen?: 'recibo' | 'global';
  enviarA?: string[];
  borrador: boolean;
  /** The Idempotency-Key's answer (src/lib/idempotency.ts), written by the same batch. */
  recibo: D1PreparedStatement[];
}

/** Where a comprobante's request is kept: in its row, or '{}' there and the R2 key a large one went to. */
export interface DatosGuardados {
  fila: Record<string, unknown>;
  datosKey: string | null;
}

/** Puts a large request in R2 under `nombre` (before the batch that points at it); a small one stays for the row. */
export async function guardarDatos(deps: Pick<Deps, 'bucket'>, t: Tenant, fecha: string, nombre: string, datos: Record<string, unknown>): Promise<DatosGuardados> {
  const json = JSON.stringify(datos);
  if (json.length <= DATOS_EN_FILA_MAX) return { fila: datos, datosKey: null };
  const datosKey = claveArchivo({ client_application_id: t.applicationId, mode: t.mode, fecha }, nombre, 'json');
  await deps.bucket.put(datosKey, json, { httpMetadata: { contentType: 'application/json' } });
  return { fila: {}, datosKey };
}

/** The request as the stamping job rebuilds the CFDI from it: its serie and fecha fixed. */
export const datosParaTimbrar = (datos: Record<string, unknown>, serie: string, c: Comprobante) => ({ ...datos, serie, fecha: c.fecha });

/**
 * The folio of a comprobante as SQL: the one the client gave, or the serie's counter that `avanzar` (first in
 * the same batch) moves on.
 */
export function folioSql(d1: D1Database, t: Tenant, serie: string, folioDado: string | undefined) {
  const avanzar = d1
    .prepare(`INSERT INTO hexafac_folios (client_application_id, mode, serie, ultimo) VALUES (?, ?, ?, 1) ON CONFLICT DO UPDATE SET ultimo = ultimo + 1`)
    .bind(t.applicationId, t.mode, serie);
  return folioDado
    ? { serie, folioDado, avanzar: null, sql: '?', params: [folioDado] }
    : { serie, folioDado, avanzar, sql: '(SELECT CAST(ultimo AS TEXT) FROM hexafac_folios WHERE client_application_id = ? AND mode = ? AND serie = ?)', params: [t.applicationId, t.mode, serie] };
}
export type FolioSql = ReturnType<typeof folioSql>;

/**
 * Stores a validated comprobante as `pendiente` with its folio, or as a `borrador` without one. The folio comes
 * from the same D1 batch as the row, so a refused insert burns none, and a redelivered job reuses the row's folio.
 */
async function almacenar(deps: Deps, t: Tenant, tipo: TipoEmision, id: string, a: Almacenable): Promise<void> {
  const c = a.comprobante;
  const { d1 } = tenantDb(deps, t);
  const status = a.borrador ? 'borrador' : 'pendiente';
  const guardados = await guardarDatos(deps, t, c.fecha, `datos/${id}`, a.borrador ? a.datos : datosParaTimbrar(a.datos, a.serie, c));
  // a draft's folio is '' (outside the unique index) until it is sent to stamp; a folio it names stays in its request
  const folio = a.borrador ? null : folioSql(d1, t, a.serie, c.folio);
  const statements = [
    ...(folio?.avanzar ? [folio.avanzar] : []),
    d1
      .prepare(
        `INSERT INTO hexafac_facturas (id, client_application_id, mode, tipo, status, serie, folio, cliente_id, receptor_rfc, receptor_nombre,
           moneda, metodo_pago, subtotal, total, fecha, datos, datos_key, simulacion, sustituye_a, lote_id, lote_indice, origen, enviar_a)
         VALUES (?, ?, ?, ?, ?, ?, ${folio?.sql ?? "''"}, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .bind(
        id, t.applicationId, t.mode, tipo.tipo, status, a.serie, ...(folio?.params ?? []), a.clienteId ?? null, c.receptor.rfc, c.receptor.nombre,
        c.moneda, c.metodoPago ?? null, c.subTotal, c.total, c.fecha, JSON.stringify(guardados.fila), guardados.datosKey,
        a.simulacion ? JSON.stringify(a.simulacion) : null, a.sustituyeA ?? null, a.lote?.id ?? null, a.lote?.indice ?? null,
        a.origen ?? null, a.enviarA ? JSON.stringify(a.enviarA) : null,
      ),
    // History starts with the creation; it is not a webhook event, so it needs no dispatch.
    d1
      .prepare(
        `INSERT INTO hexafac_eventos (id, client_application_id, mode, factura_id, type, status_anterior, status_nuevo, data, despachado_at)
         VALUES (?, ?, ?, ?, ?, NULL, ?, '{}', ?)`,
      )
      .bind(uuidv7(), t.applicationId, t.mode, id, `${PREFIJO_EVENTO[tipo.tipo]}.creada`, status, deps.clock().toISOString()),
    ...(a.extra?.(id) ?? []),
    ...a.recibo,
  ];
  await ejecutarConFolio(deps, statements, folio, guardados.datosKey);
}

/**
 * Runs the batch that writes a comprobante (and its folio, when it takes one). An automatic folio that met one a
 * client chose by hand in the same serie moves the counter past it and tries again. The batch is one
 * transaction: refused, it left nothing, so the R2 copy of its request goes too; the refusals a client can
 * cause become their DomainError.
 */
export async function ejecutarConFolio(deps: Deps, statements: D1PreparedStatement[], folio: FolioSql | null, datosKey: string | null): Promise<void> {
  try {
    for (let saltos = 0; ; saltos++) {
      try {
        await deps.d1.batch(statements);
        return;
      } catch (err) {
        if (!folio?.avanzar || saltos >= MAX_SALTOS_FOLIO || !esFolioRepetido(err)) throw err;
        await folio.avanzar.run();
      }
    }
  } catch (err) {
    if (datosKey) deps.defer(deps.bucket.delete(datosKey));
    if (folio && esFolioRepetido(err)) {
      const mensaje = folio.folioDado
        ? `Ya existe un comprobante con serie ${folio.serie} y folio ${folio.folioDado}.`
        : `Los siguientes ${MAX_SALTOS_FOLIO} folios de la serie ${folio.serie} ya se usaron a mano; indica el folio.`;
      throw new DomainError('folio_duplicado', 'conflict', mensaje, [{ path: 'folio', message: 'Serie y folio ya usados.' }]);
    }
    // A guarded application found the invoice's balance changed since it was read (src/services/saldos.ts).
    if (constraintViolation(err)?.columns.includes('sustituye_a')) {
      throw new DomainError('sustitucion_en_curso', 'conflict', 'Ya hay una sustitución en curso para ese comprobante.');
    }
    if (constraintViolation(err)?.table === 'hexafac_aplicaciones') {
      throw new DomainError('saldo_cambio', 'conflict', 'El saldo de una factura relacionada cambió mientras se procesaba la solicitud; vuelve a intentarlo.');
    }
    throw err;
  }
}

const esFolioRepetido = (err: unknown) => {
  const v = constraintViolation(err);
  return v?.kind === 'unique' && v.table === 'hexafac_facturas' && v.columns.includes('folio');
};

/**
 * Sends the stamping job of an accepted comprobante. The stored `pendiente` row is what was promised; the
 * message only makes it happen now, so the answer does not wait for it, and if the queue fails the cron
 * safety net (src/jobs/barrido.ts) re-sends it.
 */
export async function encolarTimbrado(deps: Pick<Deps, 'queue' | 'log'>, id: string): Promise<void> {
  try {
    await deps.queue.send({ kind: 'timbrar', id });
  } catch (err) {
    deps.log.error('no se pudo encolar el timbrado; lo reenviará el barrido', { id, error: (err as Error).message });
  }
}

/** A Queues sendBatch takes at most 100 messages. */
const MENSAJES_POR_ENVIO = 100;

/** encolarTimbrado for a batch's comprobantes: the queue's sendBatch, at most 100 messages a call. */
export async function encolarTimbrados(deps: Pick<Deps, 'queue' | 'log'>, ids: readonly string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += MENSAJES_POR_ENVIO) {
    const parte = ids.slice(i, i + MENSAJES_POR_ENVIO);
    try {
      await deps.queue.sendBatch(parte.map((id) => ({ body: { kind: 'timbrar' as const, id } })));
    } catch (err) {
      deps.log.error('no se pudo encolar el timbrado; lo reenviará el barrido', { ids: parte, error: (err as Error).message });
    }
  }
}
