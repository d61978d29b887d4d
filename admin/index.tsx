import { Hono } from 'hono';
import { depsDe } from '../src/deps';
import { DomainError } from '../src/lib/errors';
import { MODES, type Mode } from '../src/lib/mode';
import { securityHeaders } from '../src/lib/security-headers';
import { type AdminEnv, requireCsrf, requireSession, safeReturnPath } from './auth';
import { CLIENT_JS } from './client';
import { onError } from './errors';
import { aplicaciones } from './pages/aplicaciones';
import { clientes } from './pages/clientes';
import { csd } from './pages/csd';
import { dashboard } from './pages/dashboard';
import { emitir } from './pages/emitir';
import { facturasIndex, facturasPages } from './pages/facturas';
import { llaves } from './pages/llaves';
import { login } from './pages/login';
import { marca } from './pages/marca';
import { plataformas } from './pages/plataformas';
import { limiteVerificar, verificar } from './pages/verificar';
import { webhooks } from './pages/webhooks';
import { formFields, setMode } from './render';
import { STYLES_CSS } from './styles';
import { STYLES_EMISION_CSS } from './styles-emision';

// The operators' panel, mounted by worker.ts at /admin. Server-rendered Hono JSX; works without JavaScript.
// It reads and writes only through src/services, like the API.

const adminApp = new Hono<AdminEnv>();

adminApp.use('*', (c, next) => {
  // The panel is its own app: it builds its dependencies rather than count on the host's middleware.
  c.set('deps', depsDe(c.env, c.executionCtx));
  return next();
});
// data: for the previews of uploaded logos
adminApp.use('*', securityHeaders({ img: ['data:'], referrerPolicy: 'same-origin' }));

const asset = (body: string, type: string) => () =>
  new Response(body, { headers: { 'Content-Type': type, 'Cache-Control': 'public, max-age=300' } });
adminApp.get('/styles.css', asset(STYLES_CSS + STYLES_EMISION_CSS, 'text/css; charset=utf-8'));
adminApp.get('/app.js', asset(CLIENT_JS, 'text/javascript; charset=utf-8'));

adminApp.route('/', login);

// Everything below needs a signed-in admin, and every state change the session's CSRF token.
adminApp.use('*', requireSession);
// before requireCsrf reads the body: an oversized upload is refused unread
adminApp.use('/verificar', limiteVerificar);
adminApp.use('*', requireCsrf);

adminApp.get('/', dashboard);

adminApp.post('/modo', async (c) => {
  const f = await formFields(c);
  const mode = (MODES as readonly string[]).includes(f.modo ?? '') ? (f.modo as Mode) : 'test';
  setMode(c, mode);
  return c.redirect(safeReturnPath(f.volver), 303);
});

adminApp.route('/aplicaciones', aplicaciones);
adminApp.route('/aplicaciones', csd);
adminApp.route('/aplicaciones', llaves);
adminApp.route('/aplicaciones', webhooks);
adminApp.route('/aplicaciones', facturasPages);
adminApp.route('/aplicaciones', clientes);
adminApp.route('/aplicaciones', emitir);
adminApp.route('/aplicaciones', marca);
adminApp.route('/plataformas', plataformas);
adminApp.get('/facturas', facturasIndex);
adminApp.route('/verificar', verificar);

adminApp.all('*', () => {
  throw new DomainError('not_found', 'not_found', 'Esta página no existe.');
});

adminApp.onError(onError);

export default adminApp;
export { adminApp };
