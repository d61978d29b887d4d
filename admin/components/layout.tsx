import type { Child, FC, PropsWithChildren } from 'hono/jsx';
import type { Mode } from '../../src/db/schema';
import type { AdminSession } from '../auth';

export const Logo: FC<{ size?: number }> = ({ size = 28 }) => (
  <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
    <path d="M16 1.5 29 9v14L16 30.5 3 23V9z" fill="#12a594" />
    <path d="M16 6.5 24.5 11.4v9.2L16 25.5l-8.5-4.9v-9.2z" fill="#0f2138" opacity=".35" />
    <path d="M11 10.5h3v4.2h4v-4.2h3v11h-3v-4h-4v4h-3z" fill="#fff" />
  </svg>
);

export interface ShellProps {
  title: string;
  session: AdminSession;
  mode: Mode;
  /** The current path, so the mode switch comes back here. */
  path: string;
  section?: 'panel' | 'aplicaciones' | 'plataformas' | 'facturas' | 'verificar';
}

const NAV = [
  { id: 'panel', href: '/admin', label: 'Panel' },
  { id: 'aplicaciones', href: '/admin/aplicaciones', label: 'Aplicaciones' },
  { id: 'plataformas', href: '/admin/plataformas', label: 'Plataformas' },
  { id: 'facturas', href: '/admin/facturas', label: 'Facturas' },
  { id: 'verificar', href: '/admin/verificar', label: 'Verificar CFDI' },
] as const;

const SIGN_OUT = [
  { action: '/admin/logout', label: 'Cerrar sesión' },
  { action: '/admin/logout-all', label: 'Cerrar todas las sesiones' },
] as const;

export const Document: FC<PropsWithChildren<{ title: string }>> = ({ title, children }) => (
  <html lang="es">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="robots" content="noindex" />
      <title>{`${title} · HexaFac Admin`}</title>
      <link rel="stylesheet" href="/admin/styles.css" />
      <script src="/admin/app.js" defer></script>
    </head>
    {children}
  </html>
);

export const Csrf: FC<{ token: string }> = ({ token }) => <input type="hidden" name="_csrf" value={token} />;

/** The signed-in frame: brand, sections, the test/live switch and sign-out (here or everywhere). */
export const Shell: FC<PropsWithChildren<ShellProps>> = ({ title, session, mode, path, section, children }) => (
  <Document title={title}>
    <body>
      <a class="skip" href="#contenido">
        Saltar al contenido
      </a>
      <header class="topbar">
        <div class="topbar-inner">
          <a class="brand" href="/admin">
            <Logo /> HexaFac <span class="whoami">Admin</span>
          </a>
          <nav aria-label="Secciones">
            <ul class="nav">
              {NAV.map((n) => (
                <li>
                  <a href={n.href} aria-current={section === n.id ? 'page' : undefined}>
                    {n.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <div class="topbar-tools">
            <form method="post" action="/admin/modo" class="modeswitch" aria-label="Modo de datos">
              <Csrf token={session.csrf} />
              <input type="hidden" name="volver" value={path} />
              <button type="submit" name="modo" value="test" aria-pressed={mode === 'test' ? 'true' : 'false'}>
                Pruebas
              </button>
              <button type="submit" name="modo" value="live" class="live" aria-pressed={mode === 'live' ? 'true' : 'false'}>
                Producción
              </button>
            </form>
            <span class="whoami">{session.email}</span>
            {SIGN_OUT.map((s) => (
              <form method="post" action={s.action} class="inline">
                <Csrf token={session.csrf} />
                <button type="submit" class="linkbtn">
                  {s.label}
                </button>
              </form>
            ))}
          </div>
        </div>
      </header>
      {mode === 'live' ? <div class="modebanner">Estás viendo datos de producción (live): las facturas tienen validez fiscal.</div> : null}
      <main id="contenido">{children}</main>
    </body>
  </Document>
);

export const PageHead: FC<PropsWithChildren<{ title: string; subtitle?: Child; crumbs?: { href: string; label: string }[] }>> = ({
  title,
  subtitle,
  crumbs,
  children,
}) => (
  <div class="pagehead">
    <div>
      {crumbs?.length ? (
        <nav class="crumbs" aria-label="Ruta">
          {crumbs.map((c) => (
            <>
              <a href={c.href}>{c.label}</a> ›{' '}
            </>
          ))}
        </nav>
      ) : null}
      <h1>{title}</h1>
      {subtitle ? <p>{subtitle}</p> : null}
    </div>
    {children ? <div class="formactions">{children}</div> : null}
  </div>
);

export type Flash = { kind: 'ok' | 'error' | 'warn'; text: string } | null | undefined;

export const FlashMessage: FC<{ flash: Flash }> = ({ flash }) =>
  flash ? (
    <div class={`alert alert-${flash.kind}`} role={flash.kind === 'error' ? 'alert' : 'status'}>
      {flash.text}
    </div>
  ) : null;
