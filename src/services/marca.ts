import { and, eq, isNull } from 'drizzle-orm';
import { comprobanteXml, generarPdf, medirLogo, prepararComprobante, type Emisor, type MarcaPdf } from '../cfdi';
import { clientApplications } from '../db/schema';
import type { Deps } from '../deps';
import { DomainError, type ErrorDetail } from '../lib/errors';
import { uuidv7 } from '../lib/ids';
import { cargarAplicacion, emisorDe, type Aplicacion } from './comprobantes';

// An application's identity on its PDFs: a logo (in R2 under the application's prefix), a primary color and
// a footer. Every change mints a new marca_version, which names the cached PDFs (src/services/archivos.ts),
// so the next download renders with the new branding. Platforms write it by API, operators in the admin panel.

export const TIPOS_LOGO = ['image/png', 'image/jpeg'] as const;
export type TipoLogo = (typeof TIPOS_LOGO)[number];

export const LOGO_MAX_BYTES = 512 * 1024;
/**
 * A logo's sides in pixels and its longest-to-shortest ratio: below 16 px it is a favicon, not a logo; above
 * 4000 px it is a photograph (and the PDF would carry megabytes of it); past 8:1 it is a banner that, fitted
 * to the header's box, would be a few points tall.
 */
export const LOGO_LADO = { min: 16, max: 4000 } as const;
export const LOGO_PROPORCION_MAX = 8;
export const PIE_PAGINA_MAX = 300;
/** WCAG 2's minimum for large text and graphics: white headings are drawn on the color, and it tints text on white. */
export const CONTRASTE_MIN = 3;

type MarcaDeps = Pick<Deps, 'db' | 'd1' | 'bucket' | 'clock'>;

export interface Marca {
  logo: { tipo: TipoLogo; ancho: number; alto: number; bytes: number } | null;
  color_primario: string | null;
  pie_pagina: string | null;
  /** changes with every change of the branding; null while the application has never had one */
  version: string | null;
}

export interface CambiosMarca {
  /** "#RRGGBB"; null clears it */
  color_primario?: string | null;
  /** one paragraph; null (or empty) clears it */
  pie_pagina?: string | null;
}

const invalido = (details: ErrorDetail[]) => DomainError.validation(details, 'La marca no es válida.');
const enLogo = (message: string, code: string) => invalido([{ path: 'logo', message, code }]);

interface Imagen {
  tipo: TipoLogo;
  ancho: number;
  alto: number;
}

const PNG_FIRMA = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** The bit depths each PNG color type allows (PNG spec, 11.2.2 IHDR). */
const PNG_PROFUNDIDADES: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };

const u16 = (b: Uint8Array, i: number) => (b[i] << 8) | b[i + 1];
const u32 = (b: Uint8Array, i: number) => ((b[i] << 24) >>> 0) + (b[i + 1] << 16) + (b[i + 2] << 8) + b[i + 3];
const ascii = (b: Uint8Array, i: number, n: number) => String.fromCharCode(...b.subarray(i, i + n));

function leerPng(b: Uint8Array): Imagen {
  // The first chunk must be IHDR, 13 bytes: width, height, bit depth, color type, compression, filter, interlace.
  if (b.length < 33 || u32(b, 8) !== 13 || ascii(b, 12, 4) !== 'IHDR') throw enLogo('El PNG está dañado: falta su encabezado IHDR.', 'HFX_LOGO_DANADO');
  const profundidad = b[24];
  const tipoColor = b[25];
  if (!PNG_PROFUNDIDADES[tipoColor]?.includes(profundidad)) {
    throw enLogo(`El PNG está dañado: tipo de color ${tipoColor} con ${profundidad} bits por canal no existe.`, 'HFX_LOGO_DANADO');
  }
  return { tipo: 'image/png', ancho: u32(b, 16), alto: u32(b, 20) };
}

/**
 * A JPEG's size from its frame header (SOFn), walking the segments after SOI. Baseline, extended and
 * progressive frames only: lossless, hierarchical and arithmetic-coded JPEGs are rare and PDF viewers
 * do not all draw them.
 */
function leerJpeg(b: Uint8Array): Imagen {
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) break;
    const marcador = b[i + 1];
    // fill bytes and standalone markers (TEM, RSTn) carry no length
    if (marcador === 0xff) {
      i += 1;
      continue;
    }
    if (marcador === 0x01 || (marcador >= 0xd0 && marcador <= 0xd7)) {
      i += 2;
      continue;
    }
    if (marcador === 0xd9 || marcador === 0xda) break;
    const largo = u16(b, i + 2);
    if (marcador >= 0xc0 && marcador <= 0xcf && marcador !== 0xc4 && marcador !== 0xc8 && marcador !== 0xcc) {
      if (marcador > 0xc2) throw enLogo('JPEG sin pérdida, jerárquico o con codificación aritmética: guárdalo como JPEG estándar (baseline o progresivo) o PNG.', 'HFX_LOGO_FORMATO');
      if (i + 10 > b.length) break;
      return { tipo: 'image/jpeg', alto: u16(b, i + 5), ancho: u16(b, i + 7) };
    }
    i += 2 + largo;
  }
  throw enLogo('El JPEG está dañado: no tiene encabezado de imagen (SOF).', 'HFX_LOGO_DANADO');
}

/** What the bytes are, whatever they were called: PNG by its signature, JPEG by its SOI marker. */
async function verificarLogo(bytes: Uint8Array, tipoDeclarado?: string): Promise<Imagen> {
  if (bytes.length === 0) throw enLogo('El logo está vacío.', 'HFX_LOGO_DANADO');
  if (bytes.length > LOGO_MAX_BYTES) {
    throw enLogo(`El logo pesa ${Math.ceil(bytes.length / 1024)} KB; el máximo es ${LOGO_MAX_BYTES / 1024} KB.`, 'HFX_LOGO_TAMANO');
  }
  const esPng = PNG_FIRMA.every((v, i) => bytes[i] === v);
  const esJpeg = bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  if (!esPng && !esJpeg) throw enLogo('El logo debe ser una imagen PNG o JPEG.', 'HFX_LOGO_FORMATO');
  const imagen = esPng ? leerPng(bytes) : leerJpeg(bytes);
  if (tipoDeclarado !== undefined && tipoDeclarado !== imagen.tipo) {
    throw invalido([{ path: 'tipo', message: `El archivo es ${imagen.tipo}, no ${tipoDeclarado}.`, code: 'HFX_LOGO_FORMATO' }]);
  }
  const { ancho, alto } = imagen;
  if (Math.min(ancho, alto) < LOGO_LADO.min || Math.max(ancho, alto) > LOGO_LADO.max) {
    throw enLogo(`El logo mide ${ancho}×${alto} px; cada lado debe medir entre ${LOGO_LADO.min} y ${LOGO_LADO.max} px.`, 'HFX_LOGO_DIMENSIONES');
  }
  if (Math.max(ancho, alto) > LOGO_PROPORCION_MAX * Math.min(ancho, alto)) {
    throw enLogo(
      `El logo mide ${ancho}×${alto} px: es más de ${LOGO_PROPORCION_MAX} veces más ancho que alto (o al revés) y en el encabezado del PDF se vería diminuto.`,
      'HFX_LOGO_DIMENSIONES',
    );
  }
  // The PDF's own reader has the last word: what it cannot embed it cannot draw.
  const medida = await medirLogo({ bytes, tipo: imagen.tipo });
  if (!medida || medida.ancho !== ancho || medida.alto !== alto) {
    throw enLogo('La imagen está dañada o usa una variante que el PDF no puede incluir; vuelve a exportarla como PNG o JPEG estándar.', 'HFX_LOGO_DANADO');
  }
  return imagen;
}

/** WCAG 2 relative luminance of an sRGB color. */
function luminancia(hex: string): number {
  const canal = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * canal(1) + 0.7152 * canal(3) + 0.0722 * canal(5);
}

/** Contrast ratio against white, (L1 + 0.05) / (L2 + 0.05). */
export const contrasteConBlanco = (hex: string) => 1.05 / (luminancia(hex) + 0.05);

function normalizarColor(valor: string): string {
  const color = valor.trim().toUpperCase();
  if (!/^#[0-9A-F]{6}$/.test(color)) {
    throw invalido([{ path: 'color_primario', message: 'El color se escribe #RRGGBB en hexadecimal, por ejemplo #1E40AF.', code: 'HFX_FORMATO' }]);
  }
  const contraste = contrasteConBlanco(color);
  if (contraste < CONTRASTE_MIN) {
    throw invalido([
      {
        path: 'color_primario',
        message:
          `${color} es demasiado claro: los títulos del PDF van en blanco sobre este color y necesitan un contraste de al menos ` +
          `${CONTRASTE_MIN}:1 (WCAG); este tiene ${contraste.toFixed(2)}:1. Elige un tono más oscuro.`,
        code: 'HFX_COLOR_CONTRASTE',
      },
    ]);
  }
  return color;
}

function normalizarPie(valor: string): string | null {
  const pie = valor.trim();
  if (!pie) return null;
  const problema = (message: string) => invalido([{ path: 'pie_pagina', message, code: 'HFX_FORMATO' }]);
  if (/[\r\n\u2028\u2029]/.test(pie)) throw problema('El pie de página es un solo párrafo: sin saltos de línea.');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(pie)) throw problema('El pie de página tiene caracteres de control.');
  if ([...pie].length > PIE_PAGINA_MAX) throw problema(`Máximo ${PIE_PAGINA_MAX} caracteres; tiene ${[...pie].length}.`);
  return pie;
}

async function marcaDe(deps: Pick<Deps, 'bucket'>, app: Aplicacion): Promise<Marca> {
  const objeto = app.logo_key ? await deps.bucket.head(app.logo_key) : null;
  const medida = objeto?.customMetadata;
  return {
    logo: objeto && medida ? { tipo: app.logo_tipo as TipoLogo, ancho: Number(medida.ancho), alto: Number(medida.alto), bytes: objeto.size } : null,
    color_primario: app.color_primario,
    pie_pagina: app.pie_pagina,
    version: app.marca_version,
  };
}

export async function leerMarca(deps: MarcaDeps, appId: string): Promise<Marca> {
  return marcaDe(deps, await cargarAplicacion(deps, { applicationId: appId }));
}

const marcaCambiada = () =>
  new DomainError('marca_cambiada', 'conflict', 'La marca cambió mientras se guardaba este cambio; vuelve a leerla e inténtalo de nuevo.');

/**
 * Writes `cambios` only if the branding is still at version `antes` (two uploads at once must not both
 * believe they replaced the same logo): the row that loses gets a 409 and its caller cleans up.
 */
async function guardar(deps: MarcaDeps, app: Aplicacion, cambios: Partial<Aplicacion>): Promise<Aplicacion> {
  const version = app.marca_version === null ? isNull(clientApplications.marca_version) : eq(clientApplications.marca_version, app.marca_version);
  const fila = await deps.db
    .update(clientApplications)
    .set({ ...cambios, marca_version: uuidv7(deps.clock().getTime()), updated_at: deps.clock().toISOString() })
    .where(and(eq(clientApplications.id, app.id), version))
    .returning()
    .get();
  if (!fila) throw marcaCambiada();
  return fila;
}

/** Color and footer; a field left out stays, null clears it. */
export async function actualizarMarca(deps: MarcaDeps, appId: string, cambios: CambiosMarca): Promise<Marca> {
  const app = await cargarAplicacion(deps, { applicationId: appId });
  const problemas: ErrorDetail[] = [];
  const valores: Partial<Aplicacion> = {};
  const campo = <K extends keyof CambiosMarca>(k: K, normalizar: (v: string) => string | null) => {
    const v = cambios[k];
    if (v === undefined) return;
    try {
      valores[k] = v === null ? null : normalizar(v);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      problemas.push(...e.details);
    }
  };
  campo('color_primario', normalizarColor);
  campo('pie_pagina', normalizarPie);
  if (problemas.length) throw invalido(problemas);
  if (Object.keys(valores).length === 0) return marcaDe(deps, app);
  return marcaDe(deps, await guardar(deps, app, valores));
}

/**
 * Replaces the logo: checked, stored under a new key, the row pointed at it, then the old object deleted
 * (a failure in between leaves an orphan object, never a row pointing at nothing).
 */
export async function subirLogo(deps: MarcaDeps, appId: string, bytes: Uint8Array, tipoDeclarado?: string): Promise<Marca> {
  const imagen = await verificarLogo(bytes, tipoDeclarado);
  const app = await cargarAplicacion(deps, { applicationId: appId });
  const clave = `${app.id}/marca/logo-${uuidv7(deps.clock().getTime())}.${imagen.tipo === 'image/png' ? 'png' : 'jpg'}`;
  await deps.bucket.put(clave, bytes, {
    httpMetadata: { contentType: imagen.tipo },
    customMetadata: { ancho: String(imagen.ancho), alto: String(imagen.alto) },
  });
  let fila: Aplicacion;
  try {
    fila = await guardar(deps, app, { logo_key: clave, logo_tipo: imagen.tipo });
  } catch (e) {
    await deps.bucket.delete(clave);
    throw e;
  }
  if (app.logo_key) await deps.bucket.delete(app.logo_key);
  return marcaDe(deps, fila);
}

export async function quitarLogo(deps: MarcaDeps, appId: string): Promise<Marca> {
  const app = await cargarAplicacion(deps, { applicationId: appId });
  if (!app.logo_key) return marcaDe(deps, app);
  const fila = await guardar(deps, app, { logo_key: null, logo_tipo: null });
  await deps.bucket.delete(app.logo_key);
  return marcaDe(deps, fila);
}

/** The branding as the PDF draws it, the logo read from R2 (once per render); undefined without any. */
export async function marcaPdf(deps: Pick<Deps, 'bucket'>, app: Aplicacion): Promise<MarcaPdf | undefined> {
  if (!app.logo_key && !app.color_primario && !app.pie_pagina) return undefined;
  const objeto = app.logo_key ? await deps.bucket.get(app.logo_key) : null;
  return {
    // a logo missing from R2 (deleted by hand) prints the document without it rather than failing the download
    logo: objeto ? { bytes: new Uint8Array(await objeto.arrayBuffer()), tipo: app.logo_tipo as TipoLogo } : undefined,
    colorPrimario: app.color_primario ?? undefined,
    piePagina: app.pie_pagina ?? undefined,
  };
}

/** A fictitious receptor and concepto: the preview shows the branding, never anyone's real data. */
const EJEMPLO = {
  receptor: { rfc: 'EKU9003173C9', nombre: 'CLIENTE DE EJEMPLO (DATOS FICTICIOS)', domicilio_fiscal: '42501', regimen_fiscal: '601', uso_cfdi: 'G03' },
  forma_pago: '03',
  metodo_pago: 'PUE',
  moneda: 'MXN',
  serie: 'EJEMPLO',
  folio: '1',
  conceptos: [
    {
      clave_prod_serv: '43232408',
      cantidad: '2',
      clave_unidad: 'E48',
      unidad: 'Servicio',
      descripcion: 'Concepto de ejemplo: esta vista previa muestra la marca del PDF y no es un comprobante',
      valor_unitario: '500.00',
      objeto_imp: '02',
      impuestos: { traslados: [{ impuesto: '002', tipo_factor: 'Tasa', tasa_o_cuota: '0.160000' }] },
    },
  ],
};
/** The SAT's test issuer, when the application's own data would not pass the rules (the preview is about the look). */
const EMISOR_EJEMPLO: Emisor = { rfc: 'EKU9003173C9', nombre: 'ESCUELA KEMPER URGATE', regimenFiscal: '601', lugarExpedicion: '42501' };

/**
 * A sample factura with the application's issuer and current branding under a 'VISTA PREVIA' watermark: built
 * by the fiscal core like a real one but never sealed, stamped nor stored.
 */
export async function vistaPrevia(deps: MarcaDeps, appId: string): Promise<Uint8Array> {
  const app = await cargarAplicacion(deps, { applicationId: appId });
  const ahora = deps.clock();
  let preparacion = prepararComprobante(EJEMPLO, emisorDe(app), { tipo: 'I', ahora });
  if (!preparacion.ok) preparacion = prepararComprobante(EJEMPLO, EMISOR_EJEMPLO, { tipo: 'I', ahora });
  if (!preparacion.ok) throw new Error(`vista previa: el ejemplo no es válido: ${JSON.stringify(preparacion.errors)}`);
  return generarPdf(comprobanteXml(preparacion.comprobante), { marcaAgua: 'VISTA PREVIA', marca: await marcaPdf(deps, app) });
}
