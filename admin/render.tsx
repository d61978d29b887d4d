import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { catalogs, dec, fechaLocal, formatear, instanteDeFechaLocal } from '../src/cfdi';
import { MODES, type Mode } from '../src/lib/mode';
import type { AdminEnv } from './auth';
import { Shell, type ShellProps } from './components/layout';

export const MODE_COOKIE = 'hexafac_admin_modo';

/** The test/live switch: which half of every application's data the pages show. */
export function currentMode(c: Context<AdminEnv>): Mode {
  const m = getCookie(c, MODE_COOKIE);
  return (MODES as readonly string[]).includes(m ?? '') ? (m as Mode) : 'test';
}

export function setMode(c: Context<AdminEnv>, mode: Mode): void {
  setCookie(c, MODE_COOKIE, mode, { path: '/admin', httpOnly: true, secure: true, sameSite: 'Lax', maxAge: 60 * 60 * 24 * 365 });
}

export async function html(c: Context<AdminEnv>, node: Child, status: ContentfulStatusCode = 200): Promise<Response> {
  c.header('Cache-Control', 'no-store');
  return c.html(`<!doctype html>${await (node as { toString(): string | Promise<string> }).toString()}`, status);
}

/** A page inside the signed-in frame. */
export function page(
  c: Context<AdminEnv>,
  props: { title: string; section?: ShellProps['section'] },
  body: Child,
  status: ContentfulStatusCode = 200,
): Promise<Response> {
  const url = new URL(c.req.url);
  return html(
    c,
    <Shell title={props.title} section={props.section} session={c.get('session')} mode={currentMode(c)} path={url.pathname + url.search}>
      {body}
    </Shell>,
    status,
  );
}

/** Form bodies as plain strings (files and repeated fields are read where a page needs them). */
// Hono caches the first parseBody() result whatever its options, so every reader asks for `all: true`.
export const readBody = (c: Context<AdminEnv>) => c.req.parseBody({ all: true });

export async function formFields(c: Context<AdminEnv>): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(await readBody(c))) {
    const first = Array.isArray(v) ? v[0] : v;
    if (typeof first === 'string') out[k] = first;
  }
  return out;
}

export async function formList(c: Context<AdminEnv>, name: string): Promise<string[]> {
  const v = (await readBody(c))[name];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');
}

export async function formFile(c: Context<AdminEnv>, name: string): Promise<File | undefined> {
  const v = (await readBody(c))[name];
  const first = Array.isArray(v) ? v[0] : v;
  return first instanceof File && first.size > 0 ? first : undefined;
}

/** The one zone every date in the panel is shown in, named beside each date. */
export const ZONA_PANEL = 'America/Mexico_City';

/**
 * Our timestamps are UTC (…Z); a date without a zone is wall-clock time in `zonaOrigen` (a Comprobante's Fecha:
 * its lugar de expedición's zone, see `zonaHoraria`). Both are shown in ZONA_PANEL.
 */
export function fecha(iso: string | null | undefined, zonaOrigen: string = ZONA_PANEL): string {
  if (!iso) return '—';
  const instante = iso.endsWith('Z') ? new Date(iso) : instanteDeFechaLocal(iso.slice(0, 19), zonaOrigen);
  const local = fechaLocal(instante, ZONA_PANEL);
  return `${local.slice(0, 10)} ${local.slice(11, 16)} (${ZONA_PANEL})`;
}

/** `$2,320.00 MXN`: the decimal string rounded to the currency's c_Moneda decimals, grouped by thousands. */
export function dinero(importe: string, moneda: string): string {
  const texto = formatear(dec(importe), catalogs.decimalesMoneda(moneda) ?? 2);
  const [entero = '', fraccion] = texto.replace('-', '').split('.');
  const agrupado = entero.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${texto.startsWith('-') ? '-' : ''}$${agrupado}${fraccion ? `.${fraccion}` : ''} ${moneda}`;
}

export const TIPO_COMPROBANTE = { I: 'Ingreso', E: 'Egreso', P: 'Pago', N: 'Nómina', T: 'Traslado' } as const;

// Post/Redirect/Get notices travel as a code in the query string, never as free text (no content spoofing).
const AVISOS = {
  app_creada: 'Aplicación creada. Sube su CSD para poder timbrar.',
  app_guardada: 'Cambios guardados.',
  app_suspendida: 'Aplicación suspendida: sus API keys dejan de funcionar.',
  app_reactivada: 'Aplicación reactivada.',
  csd_guardado: 'CSD validado y guardado. La contraseña no se almacenó.',
  llave_revocada: 'API key revocada.',
  plataforma_creada: 'Plataforma creada. Crea su key para que administre sus aplicaciones por API.',
  plataforma_suspendida: 'Plataforma suspendida: sus keys dejan de funcionar.',
  plataforma_reactivada: 'Plataforma reactivada.',
  webhook_guardado: 'Webhook guardado.',
  webhook_desactivado: 'Webhook desactivado.',
  webhook_activado: 'Webhook activado.',
  webhook_eliminado: 'Webhook eliminado.',
  webhook_prueba: 'Evento de prueba encolado.',
  entrega_reenviada: 'Entrega reenviada.',
  factura_cancelacion: 'Cancelación solicitada.',
} as const;
export type Aviso = keyof typeof AVISOS;

export function aviso(c: Context<AdminEnv>): { kind: 'ok'; text: string } | null {
  const code = c.req.query('aviso');
  return code && code in AVISOS ? { kind: 'ok', text: AVISOS[code as Aviso] } : null;
}

export const redirectWith = (c: Context<AdminEnv>, path: string, code: Aviso) =>
  c.redirect(`${path}${path.includes('?') ? '&' : '?'}aviso=${code}`, 303);
