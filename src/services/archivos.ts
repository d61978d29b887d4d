import { generarPdf } from '../cfdi';
import type { Deps } from '../deps';
import { DomainError } from '../lib/errors';
import type { Tenant } from '../lib/tenancy';
import { cargarAplicacion, cargarComprobante, claveArchivo } from './comprobantes';
import type { Factura } from './estado';
import { marcaPdf } from './marca';
import { elComprobanteEsta } from '../lib/mensajes';

// The files of a comprobante, for the API and the admin panel alike. The XML is stored by the stamping
// job; the PDF is rendered from it on the first download and cached in R2 beside it, under a key that
// names the layout and the issuer's branding version it was drawn with, so a new layout or a branding
// change (src/services/marca.ts) re-renders the next download.

/** The printed layout; part of the cached PDF's key. */
const DISENO_PDF = 'hexafac-1';

export interface Archivo {
  body: ReadableStream | Uint8Array | string;
  contentType: string;
  /** The file name a download suggests: serie+folio-UUID.ext */
  nombre: string;
}

type ArchivoDeps = Pick<Deps, 'db' | 'd1' | 'bucket'>;

const nombreDe = (f: Factura, sufijo: string) => `${f.serie}${f.folio}-${f.uuid}${sufijo}`;

async function timbrado(deps: ArchivoDeps, t: Tenant, idOrUuid: string, que: string) {
  const f = await cargarComprobante(deps, t, idOrUuid);
  if (!f.xml_key || !f.uuid) throw new DomainError('factura_no_timbrada', 'conflict', `${elComprobanteEsta(f.status)}: aún no tiene ${que}.`);
  return f as Factura & { xml_key: string; uuid: string };
}

const noDisponible = (que: string) => new DomainError('archivo_no_disponible', 'not_found', `${que} no está disponible.`);

/** The stamped XML: in R2 at xml_key, or still in the row when R2 refused it at stamping (src/jobs/procesar-factura.ts). */
async function xmlTimbrado(deps: ArchivoDeps, f: Factura & { xml_key: string }): Promise<ReadableStream | string> {
  if (f.xml_timbrado !== null) return f.xml_timbrado;
  const obj = await deps.bucket.get(f.xml_key);
  if (!obj) throw noDisponible('El archivo');
  return obj.body;
}

export async function xmlDe(deps: ArchivoDeps, t: Tenant, idOrUuid: string): Promise<Archivo> {
  const f = await timbrado(deps, t, idOrUuid, 'XML');
  return { body: await xmlTimbrado(deps, f), contentType: 'application/xml; charset=utf-8', nombre: nombreDe(f, '.xml') };
}

export async function pdfDe(deps: ArchivoDeps, t: Tenant, idOrUuid: string): Promise<Archivo> {
  const f = await timbrado(deps, t, idOrUuid, 'PDF');
  const archivo = { contentType: 'application/pdf', nombre: nombreDe(f, '.pdf') };
  const app = await cargarAplicacion(deps, t);
  // never branded: the key PDFs had before branding existed, so they stay cached
  const clave = claveArchivo(f, [f.uuid, DISENO_PDF, app.marca_version].filter(Boolean).join('.'), 'pdf');
  const guardado = await deps.bucket.get(clave);
  if (guardado) return { ...archivo, body: guardado.body };
  const xml = await xmlTimbrado(deps, f);
  const pdf = await generarPdf(typeof xml === 'string' ? xml : await new Response(xml).text(), {
    sandbox: f.mode === 'test',
    marca: await marcaPdf(deps, app),
  });
  // Two first downloads at once render twice and store the same bytes: harmless.
  await deps.bucket.put(clave, pdf, { httpMetadata: { contentType: archivo.contentType } });
  return { ...archivo, body: pdf };
}

export async function acuseDe(deps: ArchivoDeps, t: Tenant, idOrUuid: string): Promise<Archivo> {
  const f = await cargarComprobante(deps, t, idOrUuid);
  if (!f.acuse_key) throw new DomainError('factura_no_cancelada', 'conflict', `${elComprobanteEsta(f.status)}: no tiene acuse de cancelación.`);
  const obj = await deps.bucket.get(f.acuse_key);
  if (!obj) throw noDisponible('El acuse');
  return { body: obj.body, contentType: 'application/xml; charset=utf-8', nombre: nombreDe(f, '-acuse.xml') };
}
