import { Hono, type Context } from 'hono';
import { catalogs } from '../../src/cfdi';
import {
  actualizarAplicacion,
  crearAplicacion,
  type DatosAplicacion,
  listarAplicaciones,
  reactivarAplicacion,
  suspenderAplicacion,
} from '../../src/services/aplicaciones';
import { type Aplicacion, cargarAplicacion } from '../../src/services/comprobantes';
import { listarPlataformas } from '../../src/services/plataformas';
import type { AdminEnv } from '../auth';
import { ErrorSummary, type FieldErrors, SelectField, TextArea, TextField } from '../components/form';
import { Csrf, FlashMessage, PageHead } from '../components/layout';
import { AppTabs, Badge, Empty, Tabla } from '../components/ui';
import { enFormulario } from '../errors';
import { aviso, fecha, formFields, page, redirectWith } from '../render';

/** The application of the URL; client applications are the tenants themselves, so they are found by id. */
export const loadApp = (c: Context<AdminEnv>): Promise<Aplicacion> => cargarAplicacion(c.var.deps, { applicationId: c.req.param('appId') ?? '' });

const REGIMENES = catalogs.catalogos.regimenesFiscales
  .filter((r) => !r.vigencia.hasta)
  .map((r) => ({ value: r.id, label: `${r.id} · ${r.texto}` }));

// Default series are set by the platforms' API (PATCH /plataforma/aplicaciones/{id}), not in this form.
type AppForm = Required<{ [K in Exclude<keyof DatosAplicacion, 'series'>]: string }>;

const FIELDS = ['name', 'description', 'rfc', 'razon_social', 'regimen_fiscal', 'lugar_expedicion', 'pacs'] as const satisfies readonly (keyof AppForm)[];

/** What was typed, as typed: the service normalises and validates it. */
const readAppForm = (f: Record<string, string | null | undefined>) => Object.fromEntries(FIELDS.map((k) => [k, f[k] ?? ''])) as AppForm;

const AppFields = ({ v, errors }: { v: Partial<AppForm>; errors: FieldErrors }) => (
  <>
    <div class="row2">
      <TextField name="name" label="Nombre de la aplicación" value={v.name} error={errors.name} required maxlength={100} />
      <TextField name="rfc" label="RFC del emisor" value={v.rfc} error={errors.rfc} required maxlength={13} autocomplete="off" />
    </div>
    <TextArea name="description" label="Descripción (opcional)" value={v.description} error={errors.description} maxlength={500} />
    <TextField
      name="razon_social"
      label="Razón social"
      value={v.razon_social}
      error={errors.razon_social}
      hint="Como en la Constancia de Situación Fiscal, sin régimen societario (p. ej. sin «SA DE CV»)."
      required
    />
    <div class="row2">
      <SelectField name="regimen_fiscal" label="Régimen fiscal" options={REGIMENES} value={v.regimen_fiscal} error={errors.regimen_fiscal} blank="Elige…" required />
      <TextField
        name="lugar_expedicion"
        label="Lugar de expedición (C.P.)"
        value={v.lugar_expedicion}
        error={errors.lugar_expedicion}
        required
        maxlength={5}
        inputmode="numeric"
        pattern="[0-9]{5}"
      />
    </div>
    <TextField
      name="pacs"
      label="PACs en modo live, en orden (opcional)"
      value={v.pacs}
      error={errors.pacs}
      hint="Separados por comas, p. ej. «sw-sapien, finkok»: si el primero no responde, timbra el siguiente. Vacío: el orden del despliegue."
      maxlength={100}
      autocomplete="off"
    />
  </>
);

const crumbs = [{ href: '/admin/aplicaciones', label: 'Aplicaciones' }];

function csdBadge(app: Aplicacion) {
  if (!app.csd_valido_hasta) return <Badge tone="warn">Sin CSD</Badge>;
  return app.csd_valido_hasta < new Date().toISOString() ? <Badge tone="bad">CSD vencido</Badge> : <Badge tone="ok">CSD vigente</Badge>;
}

export const AppStatus = ({ app }: { app: Aplicacion }) =>
  app.status === 'active' ? <Badge tone="ok">Activa</Badge> : <Badge tone="bad">Suspendida</Badge>;

export const aplicaciones = new Hono<AdminEnv>();

aplicaciones.get('/', async (c) => {
  const [apps, plataformas] = await Promise.all([listarAplicaciones(c.var.deps), listarPlataformas(c.var.deps)]);
  const plataforma = new Map(plataformas.map((p) => [p.id, p]));
  return page(
    c,
    { title: 'Aplicaciones', section: 'aplicaciones' },
    <>
      <PageHead title="Aplicaciones cliente" subtitle="Cada aplicación es un emisor con su CSD, sus API keys y sus webhooks.">
        <a class="btn" href="/admin/aplicaciones/nueva">
          Nueva aplicación
        </a>
      </PageHead>
      <FlashMessage flash={aviso(c)} />
      <div class="tablewrap">
        {apps.length ? (
          <Tabla columnas={['Nombre', 'RFC', 'Razón social', 'Plataforma', 'Estado', 'CSD', 'Creada']}>
            {apps.map((a) => (
              <tr>
                <td>
                  <a href={`/admin/aplicaciones/${a.id}`}>{a.name}</a>
                </td>
                <td class="mono">{a.rfc}</td>
                <td>{a.razon_social}</td>
                <td>{a.platform_id ? <a href={`/admin/plataformas/${a.platform_id}`}>{plataforma.get(a.platform_id)?.name}</a> : 'Operadores'}</td>
                <td>
                  <AppStatus app={a} />
                </td>
                <td>{csdBadge(a)}</td>
                <td>{fecha(a.created_at)}</td>
              </tr>
            ))}
          </Tabla>
        ) : (
          <Empty>
            Aún no hay aplicaciones. <a href="/admin/aplicaciones/nueva">Crea la primera</a>.
          </Empty>
        )}
      </div>
    </>,
  );
});

const NewAppPage = (c: Context<AdminEnv>, v: Partial<AppForm>, errors: FieldErrors) =>
  page(
    c,
    { title: 'Nueva aplicación', section: 'aplicaciones' },
    <>
      <PageHead title="Nueva aplicación" subtitle="Los datos del emisor con los que se timbrarán sus facturas." crumbs={crumbs} />
      <div class="card">
        <ErrorSummary errors={errors} message={errors.form} />
        <form method="post" action="/admin/aplicaciones/nueva" class="stack" novalidate>
          <Csrf token={c.get('session').csrf} />
          <AppFields v={v} errors={errors} />
          <div class="formactions">
            <button type="submit" class="btn">
              Crear aplicación
            </button>
            <a href="/admin/aplicaciones">Cancelar</a>
          </div>
        </form>
      </div>
    </>,
    Object.keys(errors).length ? 422 : 200,
  );

aplicaciones.get('/nueva', (c) => NewAppPage(c, { regimen_fiscal: '601' }, {}));

aplicaciones.post('/nueva', async (c) => {
  const v = readAppForm(await formFields(c));
  return enFormulario(
    () => crearAplicacion(c.var.deps, v),
    (r) => NewAppPage(c, v, r.errors),
    (app) => redirectWith(c, `/admin/aplicaciones/${app.id}/csd`, 'app_creada'),
  );
});

aplicaciones.get('/:appId', async (c) => {
  const app = await loadApp(c);
  const regimen = catalogs.regimenFiscal(app.regimen_fiscal);
  const base = `/admin/aplicaciones/${app.id}`;
  const csrf = c.get('session').csrf;
  return page(
    c,
    { title: app.name, section: 'aplicaciones' },
    <>
      <PageHead title={app.name} subtitle={app.description ?? undefined} crumbs={crumbs}>
        <AppStatus app={app} />
        <a class="btn btn-secondary" href={`${base}/editar`}>
          Editar
        </a>
        {app.status === 'active' ? (
          <form method="post" action={`${base}/suspender`} class="inline">
            <Csrf token={csrf} />
            <button type="submit" class="btn btn-danger">
              Suspender
            </button>
          </form>
        ) : (
          <form method="post" action={`${base}/reactivar`} class="inline">
            <Csrf token={csrf} />
            <button type="submit" class="btn">
              Reactivar
            </button>
          </form>
        )}
      </PageHead>
      <FlashMessage flash={aviso(c)} />
      <AppTabs appId={app.id} current="datos" />
      <div class="grid">
        <section class="card">
          <h2>Emisor</h2>
          <dl class="kv">
            <dt>RFC</dt>
            <dd class="mono">{app.rfc}</dd>
            <dt>Razón social</dt>
            <dd>{app.razon_social}</dd>
            <dt>Régimen fiscal</dt>
            <dd>{regimen ? `${regimen.id} · ${regimen.texto}` : app.regimen_fiscal}</dd>
            <dt>Lugar de expedición</dt>
            <dd>{app.lugar_expedicion}</dd>
          </dl>
        </section>
        <section class="card">
          <h2>Certificado de Sello Digital</h2>
          <dl class="kv">
            <dt>Estado</dt>
            <dd>{csdBadge(app)}</dd>
            <dt>No. de certificado</dt>
            <dd class="mono">{app.csd_no_certificado ?? '—'}</dd>
            <dt>Válido hasta</dt>
            <dd>{fecha(app.csd_valido_hasta)}</dd>
          </dl>
          <p class="mt">
            <a class="btn btn-secondary" href={`${base}/csd`}>
              {app.csd_certificado ? 'Reemplazar CSD' : 'Subir CSD'}
            </a>
          </p>
        </section>
        <section class="card">
          <h2>Identidad en el PDF</h2>
          <p class="muted">Logo, color y pie de página de sus PDF.</p>
          <p class="mt">
            <a class="btn btn-secondary" href={`${base}/marca`}>
              Editar la identidad en el PDF
            </a>
          </p>
        </section>
        <section class="card">
          <h2>Aplicación</h2>
          <dl class="kv">
            <dt>ID</dt>
            <dd class="mono">{app.id}</dd>
            <dt>Creada</dt>
            <dd>{fecha(app.created_at)}</dd>
            <dt>Actualizada</dt>
            <dd>{fecha(app.updated_at)}</dd>
          </dl>
        </section>
      </div>
    </>,
  );
});

const EditAppPage = (c: Context<AdminEnv>, app: Aplicacion, v: Partial<AppForm>, errors: FieldErrors) =>
  page(
    c,
    { title: `Editar ${app.name}`, section: 'aplicaciones' },
    <>
      <PageHead title={`Editar ${app.name}`} crumbs={[...crumbs, { href: `/admin/aplicaciones/${app.id}`, label: app.name }]} />
      <div class="card">
        <ErrorSummary errors={errors} message={errors.form} />
        <form method="post" action={`/admin/aplicaciones/${app.id}/editar`} class="stack" novalidate>
          <Csrf token={c.get('session').csrf} />
          <AppFields v={v} errors={errors} />
          <div class="formactions">
            <button type="submit" class="btn">
              Guardar cambios
            </button>
            <a href={`/admin/aplicaciones/${app.id}`}>Cancelar</a>
          </div>
        </form>
      </div>
    </>,
    Object.keys(errors).length ? 422 : 200,
  );

aplicaciones.get('/:appId/editar', async (c) => {
  const app = await loadApp(c);
  return EditAppPage(c, app, readAppForm({ name: app.name, description: app.description, rfc: app.rfc, razon_social: app.razon_social, regimen_fiscal: app.regimen_fiscal, lugar_expedicion: app.lugar_expedicion, pacs: app.pacs?.join(', ') }), {});
});

aplicaciones.post('/:appId/editar', async (c) => {
  const app = await loadApp(c);
  const v = readAppForm(await formFields(c));
  return enFormulario(
    () => actualizarAplicacion(c.var.deps, app.id, v),
    (r) => EditAppPage(c, app, v, r.errors),
    () => redirectWith(c, `/admin/aplicaciones/${app.id}`, 'app_guardada'),
  );
});

for (const [action, cambiar, notice] of [
  ['suspender', suspenderAplicacion, 'app_suspendida'],
  ['reactivar', reactivarAplicacion, 'app_reactivada'],
] as const) {
  aplicaciones.post(`/:appId/${action}`, async (c) => {
    const app = await cambiar(c.var.deps, c.req.param('appId') ?? '');
    return redirectWith(c, `/admin/aplicaciones/${app.id}`, notice);
  });
}
