import type { Context } from 'hono';
import { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { depsDe } from '../src/deps';
import type { AppEnv } from '../src/lib/context';
import { DomainError } from '../src/lib/errors';
import { log } from '../src/lib/log';
import { limitarTasa, type Tarifa } from '../src/lib/rate-limit';
import { securityHeaders } from '../src/lib/security-headers';
import { pdfDe, xmlDe } from '../src/services/archivos';
import { cargarComprobante } from '../src/services/comprobantes';
import { configuracionRecibos, facturarRecibo, impedimentoAutofactura, normalizarClave, reciboPorClave } from '../src/services/recibos';
import { CLIENT_JS } from './client';
import { csrfToken, csrfValido } from './csrf';
import { firmarEnlace, leerEnlace } from './enlaces';
import type { PortalEnv } from './env';
import { erroresDe } from './errores';
import { aplicacionPorSlug, marcaDe } from './marca';
import { Estado } from './pages/estado';
import { type MarcaPortal, Mensaje, NoEncontrado } from './pages/layout';
import { CAMPOS, ClaveForm, type Datos, TicketForm, VACIO } from './pages/ticket';
import { STYLES_CSS } from './styles';

// The public self-invoicing portal, mounted by worker.ts at /autofactura: a customer finds a ticket by its clave,
// gives their fiscal data and gets the CFDI, through the same recibos service as the API (src/services/recibos.ts).
// Server-rendered, works without JavaScript. Nothing here trusts the browser: every SAT rule is checked again by
// the service, the form carries a CSRF token, and invoices are reached only by a signed link (enlaces.ts).

const portal = new Hono<PortalEnv>();

portal.use('*', async (c, next) => {
  c.set('deps', depsDe(c.env, c.executionCtx));
  await next();
});
// the status page's address is the invoice's key: it must never travel in a Referer
portal.use('*', securityHeaders({ referrerPolicy: 'no-referrer' }));

const asset = (body: string, type: string) => () => new Response(body, { headers: { 'Content-Type': type, 'Cache-Control': 'public, max-age=300' } });
portal.get('/styles.css', asset(STYLES_CSS, 'text/css; charset=utf-8'));
portal.get('/app.js', asset(CLIENT_JS, 'text/javascript; charset=utf-8'));

async function html(c: Context<PortalEnv>, node: Child, status: ContentfulStatusCode = 200): Promise<Response> {
  c.header('Cache-Control', 'no-store');
  return c.html(`<!doctype html>${await (node as { toString(): string | Promise<string> }).toString()}`, status);
}

const ipDe = (c: Context<PortalEnv>) => c.req.header('CF-Connecting-IP') ?? 'local';

/** Counts the request in one of the portal's buckets (src/lib/rate-limit.ts LIMITES); a 429 page when it is spent. */
function limitar(c: Context<PortalEnv>, tarifa: Tarifa, quien: string): Promise<void> {
  // limitarTasa reads the method, the headers and deps only: the env types differ in Variables alone
  return limitarTasa(c as unknown as Context<AppEnv>, { keyId: `${tarifa}:${quien}`, plan: tarifa });
}

/**
 * The ticket behind a clave, or null: unknown portal, unknown clave and another application's ticket are one
 * answer after the same work (one lookup), and each counts as a wrong guess against the IP.
 */
async function ticket(c: Context<PortalEnv>, slug: string, clave: string) {
  // counted as stored, so typing it in lower case or without dashes is the same bucket
  await limitar(c, 'autofactura_clave', normalizarClave(clave) ?? clave.slice(0, 64));
  const hallado = await reciboPorClave(c.var.deps, slug, clave);
  if (!hallado) await limitar(c, 'autofactura_fallos', ipDe(c));
  return hallado;
}

const noEncontrado = async (c: Context<PortalEnv>, slug: string) => {
  const app = await aplicacionPorSlug(c.var.deps, slug);
  return html(c, <NoEncontrado marca={app ? marcaDe(app, slug) : undefined} />, 404);
};

portal.use('/:slug/*', async (c, next) => {
  await limitar(c, 'autofactura_ip', ipDe(c));
  await next();
});
portal.use('/:slug', async (c, next) => {
  await limitar(c, 'autofactura_ip', ipDe(c));
  await next();
});

portal.get('/:slug', async (c) => {
  const slug = c.req.param('slug');
  const clave = (c.req.query('clave') ?? '').trim();
  if (!clave) {
    const app = await aplicacionPorSlug(c.var.deps, slug);
    return app ? html(c, <ClaveForm marca={marcaDe(app, slug)} />) : html(c, <NoEncontrado />, 404);
  }
  const hallado = await ticket(c, slug, clave);
  if (!hallado) return noEncontrado(c, slug);
  const { aplicacion, recibo } = hallado;
  const impedimento = impedimentoAutofactura(recibo, configuracionRecibos(aplicacion), c.var.deps.clock());
  return html(c, <TicketForm marca={marcaDe(aplicacion, slug)} recibo={recibo} csrf={csrfToken(c)} datos={VACIO} errores={{}} impedimento={impedimento?.message} />);
});

portal.get('/:slug/logo', async (c) => {
  const app = await aplicacionPorSlug(c.var.deps, c.req.param('slug'));
  const obj = app?.logo_key ? await c.var.deps.bucket.get(app.logo_key) : null;
  if (!app || !obj) return c.body(null, 404);
  return c.body(obj.body, 200, { 'Content-Type': app.logo_tipo ?? 'application/octet-stream', 'Cache-Control': 'public, max-age=300' });
});

const MAX_FORM_BYTES = 16 * 1024;

portal.post('/:slug/facturar', async (c) => {
  const slug = c.req.param('slug');
  if (Number(c.req.header('Content-Length') ?? 0) > MAX_FORM_BYTES) return html(c, <Mensaje title="Solicitud demasiado grande" texto="El formulario enviado es demasiado grande." />, 413);
  const body = await c.req.parseBody();
  const campo = (k: string) => (typeof body[k] === 'string' ? (body[k] as string).trim() : '');
  if (!csrfValido(c, campo('_csrf'))) {
    return html(c, <Mensaje title="Formulario vencido" texto="Por seguridad, vuelve a abrir la página de tu ticket y envía el formulario desde ahí." />, 403);
  }
  const hallado = await ticket(c, slug, campo('clave'));
  if (!hallado) return noEncontrado(c, slug);
  const { aplicacion, tenant, recibo } = hallado;
  const marca = marcaDe(aplicacion, slug);
  const datos = Object.fromEntries(CAMPOS.map((k) => [k, campo(k)])) as Datos;
  datos.rfc = datos.rfc.toUpperCase();
  const formulario = (errores: Record<string, string>, status: ContentfulStatusCode, impedimento?: string) =>
    html(c, <TicketForm marca={marca} recibo={recibo} csrf={csrfToken(c)} datos={datos} errores={errores} impedimento={impedimento} />, status);

  const impedimento = impedimentoAutofactura(recibo, configuracionRecibos(aplicacion), c.var.deps.clock());
  if (impedimento) return formulario({}, 409, impedimento.message);
  let facturaId: string;
  try {
    const { value } = await facturarRecibo(
      c.var.deps,
      tenant,
      recibo.id,
      {
        receptor: { rfc: datos.rfc, nombre: datos.nombre, domicilio_fiscal: datos.domicilio_fiscal, regimen_fiscal: datos.regimen_fiscal, uso_cfdi: datos.uso_cfdi },
        ...(datos.email ? { email: datos.email } : {}),
      },
      { aplicacion },
    );
    facturaId = value.id;
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    if (e.kind === 'invalid') return formulario(erroresDe(e, datos), 422);
    if (e.kind === 'conflict' || e.kind === 'not_found') return formulario({}, 409, e.message);
    throw e;
  }
  const token = await firmarEnlace(c.var.deps.masterKey, { factura: facturaId, app: aplicacion.id, mode: tenant.mode, slug, clave: recibo.clave, email: datos.email || undefined }, c.var.deps.clock());
  return c.redirect(`/autofactura/${slug}/facturas/${token}`, 303);
});

/** The invoice a signed link names, within its own application and mode; null for anything else. */
async function facturaDeEnlace(c: Context<PortalEnv>) {
  const slug = c.req.param('slug') ?? '';
  const enlace = await leerEnlace(c.var.deps.masterKey, c.req.param('token') ?? '', slug, c.var.deps.clock());
  const app = enlace && (await aplicacionPorSlug(c.var.deps, slug));
  if (!enlace || !app || app.id !== enlace.app) return null;
  const tenant = { applicationId: app.id, mode: enlace.mode };
  try {
    return { enlace, app, tenant, factura: await cargarComprobante(c.var.deps, tenant, enlace.factura, 'I') };
  } catch (e) {
    if (e instanceof DomainError && e.kind === 'not_found') return null;
    throw e;
  }
}

portal.get('/:slug/facturas/:token', async (c) => {
  const slug = c.req.param('slug');
  const f = await facturaDeEnlace(c);
  if (!f) return noEncontrado(c, slug);
  const marca: MarcaPortal = marcaDe(f.app, slug);
  return html(c, <Estado marca={marca} factura={f.factura} base={`/autofactura/${slug}/facturas/${c.req.param('token')}`} email={f.enlace.email} clave={f.enlace.clave} />);
});

portal.get('/:slug/facturas/:token/:archivo{xml|pdf}', async (c) => {
  const f = await facturaDeEnlace(c);
  if (!f || f.factura.status !== 'timbrada') return noEncontrado(c, c.req.param('slug'));
  const archivo = await (c.req.param('archivo') === 'pdf' ? pdfDe : xmlDe)(c.var.deps, f.tenant, f.factura.id);
  return c.body(archivo.body as ReadableStream, 200, {
    'Content-Type': archivo.contentType,
    'Content-Disposition': `attachment; filename="${archivo.nombre}"`,
    'Cache-Control': 'private, no-store',
  });
});

portal.all('*', (c) => html(c, <NoEncontrado />, 404));

portal.onError((err, c) => {
  if (err instanceof DomainError && err.code === 'rate_limit_exceeded') {
    for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
    const espera = err.headers['Retry-After'];
    return html(c, <Mensaje title="Demasiados intentos" texto={`Hiciste demasiados intentos seguidos. Espera ${espera ?? 'unos'} segundos y vuelve a intentarlo.`} />, 429);
  }
  log.error(err.message, { request_id: c.get('requestId'), stack: err.stack });
  return html(c, <Mensaje title="Algo salió mal" texto="No pudimos completar tu solicitud. Inténtalo de nuevo en unos minutos." />, 500);
});

export default portal;
export { portal };
