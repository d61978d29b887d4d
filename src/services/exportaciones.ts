import { and, eq, inArray } from 'drizzle-orm';
import { exportaciones, type FacturaStatus } from '../db/schema';
import type { Deps } from '../deps';
import { DomainError, type ErrorDetail } from '../lib/errors';
import { withIdempotency, type Idempotent } from '../lib/idempotency';
import { uuidv7 } from '../lib/ids';
import { MINUTE } from '../lib/time';
import { findOwned, tenantColumns, tenantDb, type Tenant } from '../lib/tenancy';
import type { Archivo } from './archivos';
import { claveArchivo, type TipoComprobante } from './comprobantes';

// Exports (POST /exportaciones): every comprobante of a date range, as a ZIP (the stamped XML exactly as R2 keeps
// it, its PDF, a manifiesto.csv) or as one CSV summary, written to R2 by the `exportar` job (src/jobs/exportar.ts).
//
// Why 50,000 comprobantes fit in a Worker (128 MB): the job works in steps, one queue message each. A step reads
// `porPaso` rows (by id cursor, the tenant's list index) and holds, at most, the unsent bytes of one R2 multipart
// part (`tamanoParte`, ≥ 5 MiB) plus a handful of files in flight (one XML and one PDF per row of a small window),
// the step's central-directory records (≈ 100 B per file) and its manifest rows (≈ 200 B per comprobante). So the
// memory of a step is bounded by tamanoParte + porPaso × ~300 B + the window's files, whatever the export's size.
// Between steps nothing stays in memory: the checkpoint (`progreso`: cursor, upload id, the parts' etags, the
// running offsets, the manifest's CRC) is in the row, and what did not fill a part (R2 wants every non-final part
// the same size), the step's central-directory records and its manifest rows are temporary R2 objects. The last
// step streams the manifest and the directory from those objects into the archive and closes it (ZIP64 records
// when 65,535 entries or 4 GiB are passed: 50,000 comprobantes make 100,001 entries). 50,000 ÷ 100 per step is
// 500 messages; the parts list grows by one etag per part (≈ 600 parts for 3 GB) and is what the row carries.
//
// What is exported: comprobantes (not drafts) whose Fecha is in [desde, hasta], optionally of one tipo and status.
// Only a stamped one has files: one without a UUID (pendiente, rechazada, error) is listed in the manifest and the
// CSV with its status and empty impuestos, and has no XML or PDF in the ZIP.

export type ExportacionFila = typeof exportaciones.$inferSelect;
export type FormatoExportacion = ExportacionFila['formato'];

export interface FiltrosExportacion {
  /** AAAA-MM-DD, inclusive, on the comprobante's Fecha. */
  desde: string;
  hasta: string;
  tipo?: TipoComprobante;
  status?: Exclude<FacturaStatus, 'borrador'>;
}

export interface OpcionesExportacion {
  idempotencyKey?: string;
  /** Comprobantes per step (queue message). */
  porPaso?: number;
  /** Bytes of each non-final multipart part (R2: at least 5 MiB, all the same). */
  tamanoParte?: number;
  /** Lowers the ZIP64 limits (tests). */
  zip64Threshold?: number;
}

/** The job's checkpoint, in the row: what the steps so far wrote, and how big a step is. */
export interface Progreso {
  paso: number;
  porPaso: number;
  tamanoParte: number;
  zip64Threshold?: number;
  /** Id of the last comprobante written. */
  cursor?: string;
  /** The queue message that committed the last step: its own redelivery re-sends the next one. */
  mensaje?: string;
  /** The queue message that holds the step in progress (`updated_at` is when it took it; see PLAZO_PASO_MS). */
  tomado?: string;
  uploadId?: string;
  partes: { partNumber: number; etag: string }[];
  /** Bytes of the file written so far (uploaded parts + the carried tail). */
  escritos: number;
  /** Bytes not yet in a part, kept in R2 under the step's `cola` object. */
  cola: number;
  entradas: number;
  /** Bytes of central-directory records so far. */
  directorio: number;
  manifiesto: { crc: number; bytes: number };
  comprobantes: number;
  /** Every part is uploaded: only completing the upload and marking it lista remain. */
  cerrado?: boolean;
}

export const MAX_RANGO_DIAS = 366;
/**
 * How long a delivery holds the step it took (a step is one slice: seconds, not minutes). Meanwhile another copy of
 * the step stands down; past it the holder is presumed gone (its message lost with it) and the next copy takes the
 * step up. So the cron may re-send a step quiet for longer than this without two deliveries writing the same parts.
 */
export const PLAZO_PASO_MS = 2 * MINUTE;
const POR_PASO = 100;
/** R2's minimum is 5 MiB; a little more keeps the part count of a 3 GB export far below its 10,000. */
const TAMANO_PARTE = 8 * 1024 * 1024;

const FECHA_RE = /^\d{4}-\d{2}-\d{2}$/;
const DIA_MS = 86_400_000;

function dia(valor: string, path: string, problemas: ErrorDetail[]): number | undefined {
  const ms = FECHA_RE.test(valor) ? Date.parse(`${valor}T00:00:00Z`) : NaN;
  // Date.parse rolls 2026-02-30 over to March: a real day reads back the same
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== valor) {
    problemas.push({ path, message: `${valor} no es una fecha AAAA-MM-DD válida.`, code: 'HFX_FORMATO' });
    return undefined;
  }
  return ms;
}

/** The range a client asked for, checked: real dates, desde ≤ hasta, at most a year. */
export function validarFiltros(f: FiltrosExportacion): void {
  const problemas: ErrorDetail[] = [];
  const desde = dia(f.desde, 'desde', problemas);
  const hasta = dia(f.hasta, 'hasta', problemas);
  if (desde !== undefined && hasta !== undefined) {
    if (hasta < desde) problemas.push({ path: 'hasta', message: 'hasta es anterior a desde.', code: 'HFX_FORMATO' });
    else if ((hasta - desde) / DIA_MS >= MAX_RANGO_DIAS) {
      problemas.push({ path: 'hasta', message: `El rango abarca más de ${MAX_RANGO_DIAS} días; divide la exportación.`, code: 'HFX_FORMATO' });
    }
  }
  if (problemas.length) throw DomainError.validation(problemas, 'Los filtros de la exportación son inválidos.');
}

type ExportacionDeps = Pick<Deps, 'db' | 'd1' | 'queue' | 'clock' | 'masterKey' | 'defer' | 'log'>;

export async function crearExportacion(
  deps: ExportacionDeps,
  t: Tenant,
  entrada: { formato: FormatoExportacion; filtros: FiltrosExportacion },
  opts: OpcionesExportacion = {},
): Promise<Idempotent<ExportacionFila>> {
  validarFiltros(entrada.filtros);
  const r = await withIdempotency<{ id: string }>(deps, t, { key: opts.idempotencyKey, operation: 'exportaciones.crear', input: entrada }, async (recibo) => {
    const { d1 } = tenantDb(deps, t);
    const ahora = deps.clock();
    const id = uuidv7(ahora.getTime());
    const progreso: Progreso = {
      paso: 0,
      porPaso: opts.porPaso ?? POR_PASO,
      tamanoParte: opts.tamanoParte ?? TAMANO_PARTE,
      ...(opts.zip64Threshold ? { zip64Threshold: opts.zip64Threshold } : {}),
      partes: [],
      escritos: 0,
      cola: 0,
      entradas: 0,
      directorio: 0,
      manifiesto: { crc: 0, bytes: 0 },
      comprobantes: 0,
    };
    const archivoKey = claveArchivo({ ...tenantColumns(t), fecha: ahora.toISOString() }, `exportaciones/${id}`, entrada.formato);
    const cuando = ahora.toISOString();
    await d1.batch([
      d1
        .prepare(
          `INSERT INTO hexafac_exportaciones (id, client_application_id, mode, formato, filtros, status, progreso, archivo_key, comprobantes, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, 'pendiente', ?, ?, 0, ?, ?)`,
        )
        .bind(id, t.applicationId, t.mode, entrada.formato, JSON.stringify(entrada.filtros), JSON.stringify(progreso), archivoKey, cuando, cuando),
      ...(await recibo({ id })),
    ]);
    // A lost first message leaves the export pendiente; re-asking with the same Idempotency-Key answers the same row.
    deps.defer(deps.queue.send({ kind: 'exportar', id, paso: 0 }).catch((err: Error) => deps.log.error('no se encoló la exportación', { id, error: err.message })));
    return { id };
  });
  return { value: await obtenerExportacion(deps, t, r.value.id), replayed: r.replayed };
}

/** What an export is, in the API's vocabulary: the event's data, and the API's answer without its links. */
export function datosExportacion(f: ExportacionFila) {
  return {
    id: f.id,
    formato: f.formato,
    filtros: f.filtros as unknown as FiltrosExportacion,
    status: f.status,
    comprobantes: f.comprobantes ?? 0,
    bytes: f.bytes,
    error: f.error,
    created_at: f.created_at,
    completada_at: f.completada_at,
  };
}

export function obtenerExportacion(deps: Pick<Deps, 'db' | 'd1'>, t: Tenant, id: string): Promise<ExportacionFila> {
  return findOwned(tenantDb(deps, t).db, exportaciones, t, id, 'La exportación');
}

export const TIPO_CONTENIDO: Record<FormatoExportacion, string> = { zip: 'application/zip', csv: 'text/csv; charset=utf-8' };

/** The finished file, streamed from R2; until it is lista there is nothing to download (409). */
export async function archivoExportacion(deps: Pick<Deps, 'db' | 'd1' | 'bucket'>, t: Tenant, id: string): Promise<Archivo> {
  const fila = await obtenerExportacion(deps, t, id);
  if (fila.status !== 'lista' || !fila.archivo_key) {
    throw new DomainError('exportacion_no_lista', 'conflict', `La exportación está ${fila.status}: su archivo aún no existe.`);
  }
  const obj = await deps.bucket.get(fila.archivo_key);
  if (!obj) throw new DomainError('archivo_no_disponible', 'not_found', 'El archivo no está disponible.');
  return { body: obj.body, contentType: TIPO_CONTENIDO[fila.formato], nombre: `exportacion-${fila.id}.${fila.formato}` };
}

/** Ends an export that could not finish (its message was spent): `error` with the reason, once. */
export async function fallarExportacion(deps: Pick<Deps, 'db' | 'clock'>, id: string, mensaje: string): Promise<boolean> {
  // The id comes from our own queue: the row names its tenant.
  const r = await deps.db
    .update(exportaciones)
    .set({ status: 'error', error: mensaje, updated_at: deps.clock().toISOString() })
    .where(and(eq(exportaciones.id, id), inArray(exportaciones.status, ['pendiente', 'procesando'])))
    .run();
  return r.meta.changes > 0;
}
