import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context, Env as HonoEnv, Hono } from 'hono';
import { z } from 'zod';
import { API_BASE } from './env';
import type { AppEnv } from './lib/context';
import { DomainError, onError, renderError } from './lib/errors';
import { limitBody, requestId, requireJsonBody } from './lib/middleware';
import { limitesDeUso } from './lib/rate-limit';
import { mensajeDeForma } from './lib/mensajes';
import sistema from './routes/sistema';
import webhooks from './routes/webhooks';
import webhooksPlataforma from './routes/webhooks-plataforma';
import plataforma from './routes/plataforma';
import clientes from './routes/clientes';
import facturasRoutes from './routes/facturas';
import cancelaciones from './routes/cancelaciones';
import cancelacionesRecibidas from './routes/cancelaciones-recibidas';
import notasCredito from './routes/notas-credito';
import complementosPago from './routes/complementos-pago';
import recibosNomina from './routes/recibos-nomina';
import traslados from './routes/traslados';
import envios from './routes/envios';
import marca from './routes/marca';
import lotes from './routes/lotes';
import nominas from './routes/nominas';
import exportaciones from './routes/exportaciones';
import facturaGlobal from './routes/factura-global';
import recibos from './routes/recibos';
import catalogos from './routes/catalogos';
import cfdi from './routes/cfdi';
import docs, { documentoOpenApi } from './routes/docs';
import { FIRMA_WEBHOOK, webhooksDelDocumento } from './routes/eventos.schemas';

// The API's app. Middleware order: request id (+ deps) → rate limit per IP without a key → body limit → JSON
// content type → (per route) auth + rate limit per key + scope → zod → handler. Other apps (the admin panel)
// are mounted beside it by the Worker's entry (worker.ts), so nothing in src/ depends on them.

// Clients read validation messages in Spanish, like the fiscal ones (zod's own Spanish for anything unforeseen).
z.config({ localeError: z.locales.es().localeError, customError: mensajeDeForma });

export function createApp<E extends HonoEnv>(otras: Record<string, Hono<E>> = {}) {
  const app = new OpenAPIHono<AppEnv>({ strict: false });
  app.use('*', requestId);
  app.use(`${API_BASE}/*`, limitesDeUso, limitBody, requireJsonBody);

  const api = new OpenAPIHono<AppEnv>({ strict: false });
  api.route('/', sistema);
  api.route('/', webhooks);
  api.route('/', webhooksPlataforma);
  api.route('/', plataforma);
  api.route('/', clientes);
  api.route('/', facturasRoutes);
  api.route('/', cancelaciones);
  api.route('/', cancelacionesRecibidas);
  api.route('/', notasCredito);
  api.route('/', complementosPago);
  api.route('/', recibosNomina);
  api.route('/', traslados);
  api.route('/', envios);
  api.route('/', marca);
  api.route('/', lotes);
  api.route('/', nominas);
  api.route('/', exportaciones);
  // before /recibos/{id}: 'factura-global' is not a recibo's id
  api.route('/', facturaGlobal);
  api.route('/', recibos);
  api.route('/', catalogos);
  api.route('/', cfdi);
  api.route('/', docs);

  api.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'API key: `hfx_test_…` (sandbox) o `hfx_live_…`. Cada ruta indica el scope que requiere.',
  });
  api.openAPIRegistry.registerComponent('securitySchemes', 'platformAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'Key de plataforma: `hfx_plat_…`. Administra las aplicaciones de la plataforma (rutas `/plataforma/…`); no opera comprobantes.',
  });
  // What endpoints receive: each event in `webhooks:`, and their union as one schema for typed clients.
  api.openAPIRegistry.registerComponent('securitySchemes', 'firmaWebhook', FIRMA_WEBHOOK);
  for (const w of webhooksDelDocumento()) api.openAPIRegistry.registerWebhook(w);
  api.get('/openapi.json', (c) => c.json(documentoOpenApi(new URL(c.req.url).origin, (config) => api.getOpenAPI31Document(config))));

  app.route(API_BASE, api);
  for (const [ruta, otra] of Object.entries(otras)) app.route(ruta, otra);
  app.onError(onError);
  app.notFound((c) => notFoundOrMethodNotAllowed(app, c));
  return app;
}

const routePattern = (path: string) =>
  new RegExp(`^${path.replace(/\/\*$/, '(/.*)?').replace(/:[A-Za-z_]+(\{[^}]*\})?\??/g, '[^/]+')}/?$`);

/** Hono answers 404 for a known path with another method; the API says 405 with Allow. */
function notFoundOrMethodNotAllowed(app: OpenAPIHono<AppEnv>, c: Context<AppEnv>): Response {
  const path = c.req.path;
  const allowed = new Set(
    app.routes.filter((r) => r.method !== 'ALL' && routePattern(r.path).test(path)).map((r) => r.method.toUpperCase()),
  );
  if (allowed.size > 0) {
    return renderError(
      c,
      new DomainError('method_not_allowed', 'method_not_allowed', `Método ${c.req.method} no permitido en ${path}.`, [], {
        Allow: [...allowed].join(', '),
      }),
    );
  }
  return renderError(c, new DomainError('not_found', 'not_found', `No existe la ruta ${c.req.method} ${path}.`));
}

export const app = createApp();
