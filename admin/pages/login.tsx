import { Hono } from 'hono';
import { deleteCookie, getCookie } from 'hono/cookie';
import { revokeAllSessions, revokeSession } from '../../src/services/admin-sessions';
import { LOCK_MINUTES, signIn } from '../../src/services/admin-users';
import {
  type AdminEnv,
  endSession,
  LOGIN_CSRF_COOKIE,
  loginCsrfToken,
  readSession,
  requireCsrf,
  requireSession,
  safeReturnPath,
  startSession,
  csrfMatches,
} from '../auth';
import { Csrf, Document, Logo } from '../components/layout';
import { TextField } from '../components/form';
import { fecha, formFields, html } from '../render';

const LoginPage = ({ csrf, email, volver, error }: { csrf: string; email?: string; volver: string; error?: string }) => (
  <Document title="Iniciar sesión">
    <body class="auth">
      <main class="card" id="contenido">
        <span class="brand">
          <Logo size={34} /> HexaFac Admin
        </span>
        <h1>Iniciar sesión</h1>
        <p class="muted">Panel de operación de aplicaciones, API keys, webhooks y facturas.</p>
        {error ? (
          <div class="alert alert-error" role="alert">
            {error}
          </div>
        ) : null}
        <form method="post" action="/admin/login" class="stack">
          <Csrf token={csrf} />
          <input type="hidden" name="volver" value={volver} />
          <TextField name="email" label="Correo electrónico" type="email" value={email} required autocomplete="username" />
          <TextField name="password" label="Contraseña" type="password" required autocomplete="current-password" />
          <button type="submit" class="btn">
            Entrar
          </button>
        </form>
      </main>
    </body>
  </Document>
);

export const login = new Hono<AdminEnv>();

login.get('/login', async (c) => {
  if (await readSession(c)) return c.redirect(safeReturnPath(c.req.query('volver')), 303);
  return html(c, <LoginPage csrf={loginCsrfToken(c)} volver={safeReturnPath(c.req.query('volver'))} />);
});

login.post('/login', async (c) => {
  if (!(await csrfMatches(c, getCookie(c, LOGIN_CSRF_COOKIE)))) return c.text('Token CSRF ausente o inválido.', 403);
  const f = await formFields(c);
  const email = (f.email ?? '').trim();
  const volver = safeReturnPath(f.volver);
  const again = (error: string, status: 401 | 429 = 401) =>
    html(c, <LoginPage csrf={loginCsrfToken(c)} email={email} volver={volver} error={error} />, status);
  if (!email || !f.password) return again('Escribe tu correo y tu contraseña.');

  const result = await signIn(c.var.deps, email, f.password);
  if (!result.ok) {
    return result.reason === 'locked'
      ? again(`Demasiados intentos fallidos: la cuenta está bloqueada ${LOCK_MINUTES} minutos (hasta ${fecha(result.until)}).`, 429)
      : again('Correo o contraseña incorrectos.');
  }
  deleteCookie(c, LOGIN_CSRF_COOKIE, { path: '/admin', secure: true });
  await startSession(c, result.admin.id);
  return c.redirect(volver, 303);
});

login.post('/logout', async (c) => {
  const session = await readSession(c);
  // Sign-out is a state change too: without the session's token it is refused (no forced logouts).
  if (session && !(await csrfMatches(c, session.csrf))) return c.text('Token CSRF ausente o inválido.', 403);
  if (session) await revokeSession(c.var.deps, session.id);
  endSession(c);
  return c.redirect('/admin/login', 303);
});

// For an operator who fears a cookie was left (or taken) elsewhere: every browser of this admin signs out.
login.post('/logout-all', requireSession, requireCsrf, async (c) => {
  await revokeAllSessions(c.var.deps, c.var.session.adminId);
  endSession(c);
  return c.redirect('/admin/login', 303);
});

