import { asc, eq, gt, gte, lte, ne } from 'drizzle-orm';
import { attr, child, NS, parseXml } from '../cfdi';
import { exportaciones, facturas } from '../db/schema';
import type { Deps } from '../deps';
import { uuidv7 } from '../lib/ids';
import type { JobResult } from '../lib/queue';
import { tenantDb, tenantOfRow, tenantWhere, type Tenant } from '../lib/tenancy';
import { crc32, ZipWriter, type ZipEntry } from '../lib/zip';
import { pdfDe, xmlDe } from '../services/archivos';
import type { Factura } from '../services/estado';
import {
  datosExportacion,
  fallarExportacion,
  PLAZO_PASO_MS,
  TIPO_CONTENIDO,
  type ExportacionFila,
  type FiltrosExportacion,
  type Progreso,
} from '../services/exportaciones';
import { despacharEvento } from '../webhooks/events';

// The `exportar` job: one step per queue message (src/services/exportaciones.ts says why and what a step holds).
// A step appends its slice to the R2 multipart upload, keeps what did not fill a part and its directory and manifest
// records as temporary R2 objects, and commits its checkpoint with an UPDATE guarded by the step number, so a
// redelivered message finds its step done and stands down; only then is the next step's message sent. The last step
// closes the archive; completing the upload, the status `lista` and the event `exportacion.lista` (one D1 batch,
// once) come after a checkpoint that says so, so they are retried on their own.
//
// The chain of steps is only as alive as its one message in flight, and that message can be lost: under `wrangler
// dev` the queue lives in workerd's memory, and wrangler rebuilds and restarts workerd whenever a source file of the
// Worker changes (its esbuild watch is on even with `watch: false`), dropping the step running and its next message
// (the export then sat `procesando` until the cron's re-send; 900+ comprobantes at ~1.5 s a step outlasted the quiet
// spells of a checkout others edit). So a delivery first takes its step (tomarPaso): another copy of it stands down
// while the holder is live, and takes it up once PLAZO_PASO_MS has passed, so the cron can re-send a quiet step early
// without two deliveries writing the same parts.

const ACK: JobResult = { action: 'ack' };
const enc = new TextEncoder();
/** Files read at once within a step: their storage round trips overlap; written in order. */
const VENTANA = 8;
const BOM = '\uFEFF';

export interface MensajeExportar {
  paso?: number;
  /** The queue's id of the message: the same on a redelivery. */
  id?: string;
}

/** Bytes to the multipart upload in parts of exactly `tamano`, the tail kept for the next step (or the final part). */
class Salida {
  private pendiente: Uint8Array[] = [];
  private enEspera = 0;
  constructor(
    private readonly upload: R2MultipartUpload,
    private readonly tamano: number,
    readonly partes: { partNumber: number; etag: string }[],
    /** Archive offset of the first byte not yet handed over. */
    public escritos: number,
  ) {}

  async write(b: Uint8Array): Promise<void> {
    if (!b.length) return;
    this.pendiente.push(b);
    this.enEspera += b.length;
    this.escritos += b.length;
    while (this.enEspera >= this.tamano) await this.subir(this.tamano);
  }

  private tomar(n: number): Uint8Array {
    const out = new Uint8Array(n);
    let i = 0;
    while (i < n) {
      const b = this.pendiente[0]!;
      const k = Math.min(b.length, n - i);
      out.set(b.subarray(0, k), i);
      i += k;
      if (k === b.length) this.pendiente.shift();
      else this.pendiente[0] = b.subarray(k);
    }
    this.enEspera -= n;
    return out;
  }

  private async subir(n: number): Promise<void> {
    const partNumber = this.partes.length + 1;
    const p = await this.upload.uploadPart(partNumber, this.tomar(n));
    this.partes.push({ partNumber, etag: p.etag });
  }

  /** What does not fill a part, for the next step. */
  resto(): Uint8Array {
    return this.tomar(this.enEspera);
  }

  async cerrar(): Promise<void> {
    if (this.enEspera || !this.partes.length) await this.subir(this.enEspera);
  }
}

/** Where a step's temporary objects live: beside nothing of the tenant's files, removed once the export is lista. */
const temporal = (f: ExportacionFila) => `${f.client_application_id}/${f.mode}/tmp/exportaciones/${f.id}/`;

function seleccion(deps: Deps, t: Tenant, filtros: FiltrosExportacion, p: Progreso) {
  return tenantDb(deps, t)
    .db.select()
    .from(facturas)
    .where(
      tenantWhere(
        facturas,
        t,
        p.cursor ? gt(facturas.id, p.cursor) : undefined,
        ne(facturas.status, 'borrador'),
        gte(facturas.fecha, `${filtros.desde}T00:00:00`),
        lte(facturas.fecha, `${filtros.hasta}T23:59:59`),
        filtros.tipo ? eq(facturas.tipo, filtros.tipo) : undefined,
        filtros.status ? eq(facturas.status, filtros.status) : undefined,
      ),
    )
    .orderBy(asc(facturas.id))
    .limit(p.porPaso)
    .all();
}

const COLUMNAS = [
  'uuid',
  'serie',
  'folio',
  'tipo',
  'fecha',
  'receptor_rfc',
  'receptor_nombre',
  'moneda',
  'subtotal',
  'total_impuestos_trasladados',
  'total_impuestos_retenidos',
  'total',
  'status',
];

/**
 * RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled; lines end in CRLF. A text that a
 * spreadsheet would run as a formula (a receptor named "=HYPERLINK(…)") is led by an apostrophe, as OWASP advises.
 */
const campo = (v: string | null | undefined) => {
  if (v == null) return '';
  const seguro = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(seguro) ? `"${seguro.replace(/"/g, '""')}"` : seguro;
};
const linea = (campos: (string | null | undefined)[]) => `${campos.map(campo).join(',')}\r\n`;

interface Leido {
  xml?: Uint8Array;
  pdf?: Uint8Array;
  trasladados?: string;
  retenidos?: string;
}

const bytesDe = async (body: ReadableStream | Uint8Array | string) =>
  typeof body === 'string' ? enc.encode(body) : body instanceof Uint8Array ? body : new Uint8Array(await new Response(body).arrayBuffer());

/** A stamped comprobante's files and its taxes as the XML states them (the Comprobante's own Impuestos node). */
async function leer(deps: Deps, t: Tenant, f: Factura, conPdf: boolean): Promise<Leido> {
  if (!f.xml_key || !f.uuid) return {};
  const [xml, pdf] = await Promise.all([xmlDe(deps, t, f.id).then((a) => bytesDe(a.body)), conPdf ? pdfDe(deps, t, f.id).then((a) => bytesDe(a.body)) : undefined]);
  const impuestos = child(parseXml(new TextDecoder().decode(xml)), NS.cfdi, 'Impuestos');
  return {
    xml,
    pdf,
    trasladados: impuestos && attr(impuestos, 'TotalImpuestosTrasladados'),
    retenidos: impuestos && attr(impuestos, 'TotalImpuestosRetenidos'),
  };
}

const fila = (f: Factura, l: Leido, archivos: string[]) =>
  linea([f.uuid, f.serie, f.folio, f.tipo, f.fecha, f.receptor_rfc, f.receptor_nombre, f.moneda, f.subtotal, l.trasladados, l.retenidos, f.total, f.status, ...archivos]);

async function leerTemporal(deps: Deps, key: string): Promise<Uint8Array> {
  const obj = await deps.bucket.get(key);
  if (!obj) throw new Error(`falta en R2 el temporal de la exportación ${key}`);
  return new Uint8Array(await obj.arrayBuffer());
}

/** The CFDI's Fecha is Mexico's wall clock: the archive shows it as is. */
const modificado = (f: Factura) => new Date(`${f.fecha}Z`);

export async function procesarExportacion(deps: Deps, id: string, _intento: number, msg: MensajeExportar = {}): Promise<JobResult> {
  // The id comes from our own queue: the row names its tenant.
  const exp = await deps.db.select().from(exportaciones).where(eq(exportaciones.id, id)).get();
  if (!exp || exp.status === 'lista' || exp.status === 'error' || !exp.archivo_key) return ACK;
  const p = exp.progreso as unknown as Progreso;
  if (p.cerrado) return terminar(deps, exp, p);
  const paso = msg.paso ?? p.paso;
  if (paso < p.paso) {
    // Its step is done. If this very message committed it, the next message may not have gone out.
    if (msg.id && msg.id === p.mensaje) await siguientePaso(deps, id, p.paso);
    return ACK;
  }
  // Messages go out only after their step's commit, so none can be ahead of the checkpoint: not ours to act on (a
  // retry would only end in the DLQ and fail the export).
  if (paso > p.paso) {
    deps.log.error('mensaje de exportación adelantado al checkpoint', { id, paso, checkpoint: p.paso });
    return ACK;
  }

  // The step is this delivery's once it holds it (another copy of it, live, keeps it; one past PLAZO_PASO_MS is gone).
  const mensaje = msg.id ?? uuidv7(deps.clock().getTime());
  if (!(await tomarPaso(deps, id, paso, mensaje))) return ACK;

  const t = tenantOfRow(exp);
  const filtros = exp.filtros as unknown as FiltrosExportacion;
  const esZip = exp.formato === 'zip';
  const base = temporal(exp);
  const uploadId = p.uploadId ?? (await deps.bucket.createMultipartUpload(exp.archivo_key, { httpMetadata: { contentType: TIPO_CONTENIDO[exp.formato] } })).uploadId;
  const salida = new Salida(deps.bucket.resumeMultipartUpload(exp.archivo_key, uploadId), p.tamanoParte, [...p.partes], p.escritos - p.cola);
  if (p.cola) await salida.write(await leerTemporal(deps, `${base}cola-${p.paso}`));

  const zip = new ZipWriter({ zip64Threshold: p.zip64Threshold });
  const directorio: Uint8Array[] = [];
  let entradas = 0;
  let manifiesto = '';
  const encabezado = `${BOM}${linea(esZip ? [...COLUMNAS, 'xml', 'pdf'] : COLUMNAS)}`;
  if (paso === 0) {
    if (esZip) manifiesto += encabezado;
    else await salida.write(enc.encode(encabezado));
  }

  const filas = await seleccion(deps, t, filtros, p);
  for (let i = 0; i < filas.length; i += VENTANA) {
    const ventana = filas.slice(i, i + VENTANA);
    const leidos = await Promise.all(ventana.map((f) => leer(deps, t, f, esZip)));
    for (const [j, f] of ventana.entries()) {
      const l = leidos[j]!;
      if (!esZip) {
        await salida.write(enc.encode(fila(f, l, [])));
        continue;
      }
      const archivos: string[] = [];
      if (l.xml && l.pdf) {
        const nombre = `${f.fecha.slice(0, 7)}/${f.serie}${f.folio}-${f.uuid}`;
        for (const [ext, data, method] of [['xml', l.xml, 'deflate'], ['pdf', l.pdf, 'store']] as const) {
          const { bytes, entry } = await zip.file(`${nombre}.${ext}`, data, { offset: salida.escritos, modified: modificado(f), method });
          for (const b of bytes) await salida.write(b);
          directorio.push(zip.centralRecord(entry));
          entradas++;
          archivos.push(`${nombre}.${ext}`);
        }
      }
      // an unstamped comprobante has no files: its xml and pdf columns stay empty
      manifiesto += fila(f, l, archivos.length ? archivos : ['', '']);
    }
  }

  const man = enc.encode(manifiesto);
  const directorioBytes = directorio.reduce((n, b) => n + b.length, 0);
  const siguiente: Progreso = {
    ...p,
    paso: paso + 1,
    cursor: filas.at(-1)?.id ?? p.cursor,
    mensaje,
    tomado: undefined,
    uploadId,
    entradas: p.entradas + entradas,
    directorio: p.directorio + directorioBytes,
    manifiesto: { crc: crc32(man, p.manifiesto.crc), bytes: p.manifiesto.bytes + man.length },
    comprobantes: p.comprobantes + filas.length,
  };

  const ultimo = filas.length < p.porPaso;
  if (ultimo) {
    if (esZip) await cerrarZip(deps, zip, salida, base, paso, siguiente, man, directorio);
    await salida.cerrar();
    Object.assign(siguiente, { partes: salida.partes, escritos: salida.escritos, cola: 0, cerrado: true });
  } else {
    const cola = salida.resto();
    await Promise.all([
      deps.bucket.put(`${base}cola-${paso + 1}`, cola),
      ...(esZip ? [deps.bucket.put(`${base}man-${paso}`, man), deps.bucket.put(`${base}cd-${paso}`, concat(directorio))] : []),
    ]);
    Object.assign(siguiente, { partes: salida.partes, escritos: salida.escritos, cola: cola.length });
  }

  const r = await deps.d1
    .prepare(
      `UPDATE hexafac_exportaciones SET status = 'procesando', progreso = ?, comprobantes = ?, updated_at = ?
       WHERE id = ? AND status IN ('pendiente', 'procesando') AND json_extract(progreso, '$.paso') = ?`,
    )
    .bind(JSON.stringify(siguiente), siguiente.comprobantes, deps.clock().toISOString(), id, paso)
    .run();
  // Another delivery of this step committed first: its checkpoint (and its next message) stand.
  if (!r.meta.changes) return ACK;
  if (ultimo) return terminar(deps, { ...exp, status: 'procesando' }, siguiente);
  await siguientePaso(deps, id, paso + 1);
  return ACK;
}

/** Takes step `paso` for `mensaje`: free, already its own (a redelivery of it), or held past PLAZO_PASO_MS. */
async function tomarPaso(deps: Deps, id: string, paso: number, mensaje: string): Promise<boolean> {
  const ahora = deps.clock();
  const r = await deps.d1
    .prepare(
      `UPDATE hexafac_exportaciones SET status = 'procesando', progreso = json_set(progreso, '$.tomado', ?), updated_at = ?
       WHERE id = ? AND status IN ('pendiente', 'procesando') AND json_extract(progreso, '$.paso') = ?
         AND (json_extract(progreso, '$.tomado') IS NULL OR json_extract(progreso, '$.tomado') = ? OR updated_at < ?)`,
    )
    .bind(mensaje, ahora.toISOString(), id, paso, mensaje, new Date(ahora.getTime() - PLAZO_PASO_MS).toISOString())
    .run();
  return r.meta.changes > 0;
}

/**
 * The next step's message, sent once the step's checkpoint is committed and awaited: a send that fails throws, so this
 * message is retried and its redelivery, finding its own commit (`mensaje`), sends it again.
 */
async function siguientePaso(deps: Deps, id: string, paso: number): Promise<void> {
  await deps.queue.send({ kind: 'exportar', id, paso });
}

const concat = (bs: Uint8Array[]) => {
  const out = new Uint8Array(bs.reduce((n, b) => n + b.length, 0));
  let i = 0;
  for (const b of bs) (out.set(b, i), (i += b.length));
  return out;
};

/** The last step: manifiesto.csv (its rows from every step), the central directory, the end records. */
async function cerrarZip(deps: Deps, zip: ZipWriter, salida: Salida, base: string, paso: number, p: Progreso, man: Uint8Array, directorio: Uint8Array[]) {
  const manifiesto: ZipEntry = {
    name: 'manifiesto.csv',
    method: 'store',
    crc32: p.manifiesto.crc,
    size: p.manifiesto.bytes,
    compressedSize: p.manifiesto.bytes,
    offset: salida.escritos,
    modified: deps.clock(),
  };
  await salida.write(zip.localHeader(manifiesto));
  // one step's temporary object at a time: memory stays one step's worth
  for (let k = 0; k < paso; k++) await salida.write(await leerTemporal(deps, `${base}man-${k}`));
  await salida.write(man);
  const inicio = salida.escritos;
  for (let k = 0; k < paso; k++) await salida.write(await leerTemporal(deps, `${base}cd-${k}`));
  for (const b of directorio) await salida.write(b);
  await salida.write(zip.centralRecord(manifiesto));
  await salida.write(zip.end({ entries: p.entradas + 1, size: salida.escritos - inicio, offset: inicio }));
}

/** Completes the upload, then `lista` + exportacion.lista in one batch (once), dispatches it and clears the temporaries. */
async function terminar(deps: Deps, exp: ExportacionFila, p: Progreso): Promise<JobResult> {
  const key = exp.archivo_key!;
  try {
    await deps.bucket.resumeMultipartUpload(key, p.uploadId!).complete(p.partes);
  } catch (err) {
    // a redelivery after the upload was completed: the object is there, whole
    const head = await deps.bucket.head(key);
    if (!head || head.size !== p.escritos) throw err;
  }
  const ahora = deps.clock();
  const cuando = ahora.toISOString();
  const eventoId = uuidv7(ahora.getTime());
  const lista: ExportacionFila = { ...exp, status: 'lista', comprobantes: p.comprobantes, bytes: p.escritos, completada_at: cuando, updated_at: cuando };
  const [insertado] = await deps.d1.batch([
    deps.d1
      .prepare(
        `INSERT INTO hexafac_eventos (id, client_application_id, mode, factura_id, type, data, created_at)
         SELECT ?, client_application_id, mode, NULL, 'exportacion.lista', ?, ? FROM hexafac_exportaciones WHERE id = ? AND status = 'procesando'`,
      )
      .bind(eventoId, JSON.stringify(datosExportacion(lista)), cuando, exp.id),
    deps.d1
      .prepare(
        `UPDATE hexafac_exportaciones SET status = 'lista', comprobantes = ?, bytes = ?, completada_at = ?, updated_at = ?
         WHERE id = ? AND status = 'procesando' AND EXISTS (SELECT 1 FROM hexafac_eventos WHERE id = ?)`,
      )
      .bind(p.comprobantes, p.escritos, cuando, cuando, exp.id, eventoId),
  ]);
  if (insertado!.meta.changes) await despacharEvento(deps, eventoId);
  await borrarTemporales(deps, temporal(exp));
  return ACK;
}

async function borrarTemporales(deps: Deps, prefix: string): Promise<void> {
  let cursor: string | undefined;
  do {
    const page = await deps.bucket.list({ prefix, cursor });
    if (page.objects.length) await deps.bucket.delete(page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
}

/** The DLQ: the export ends `error`, and its unfinished upload is dropped. */
export async function agotarReintentosExportacion(deps: Deps, id: string): Promise<void> {
  const exp = await deps.db.select().from(exportaciones).where(eq(exportaciones.id, id)).get();
  if (!exp) return;
  const ended = await fallarExportacion(deps, id, 'La exportación no pudo terminar tras varios intentos; crea otra.');
  const p = exp.progreso as unknown as Progreso | null;
  if (ended && p?.uploadId && exp.archivo_key) {
    await deps.bucket.resumeMultipartUpload(exp.archivo_key, p.uploadId).abort().catch(() => {});
    await borrarTemporales(deps, temporal(exp));
  }
}
