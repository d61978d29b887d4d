import { desc, eq } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import { catalogs } from '../../src/cfdi';
import { getDb } from '../../src/db/client';
import { clientApplications } from '../../src/db/schema';
import { uuidv7 } from '../../src/lib/ids';
import type { AdminEnv } from '../auth';
import { ErrorSummary, type FieldErrors, SelectField, TextArea, TextField } from '../components/form';
import { Csrf, FlashMessage, PageHead } from '../components/layout';
import { AppTabs, Badge, Empty, Tabla } from '../components/ui';
import { NotFound } from '../errors';
import { aviso, fecha, formFields, page, redirectWith } from '../render';

export type Aplicacion = typeof clientApplications.$inferSelect;

/** The application of the URL; client applications are the tenants themselves, so they are found by id. */
export async function loadApp(c: Context<AdminEnv>): Promise<Aplicacion> {
  const app = await getDb(c.env).select().from(clientApplications).where(eq(clientApplications.id, c.req.param('appId') ?? '')).get();
  if (!app) throw new NotFound('La aplicación no existe.');
  return app;
}

const REGIMENES = catalogs.catalogos.regimenesFiscales
  .filter((r) => !r.vigencia.hasta)
  .map((r) => ({ value: r.id, label: `${r.id} · ${r.texto}` }));

// SAT RFC: 3 letters (moral) or 4 (física), YYMMDD, 3-character homoclave.
const RFC_RE = /^[A-ZÑ&]{3,4}\d{6}[A-Z\d]{3}$/;

interface AppForm {
  name: string;
  description: string;
  rfc: string;
  razon_social: string;
  regimen_fiscal: string;
  lugar_expedicion: string;
}

function readAppForm(f: Record<string, string>): AppForm {
  return {
    name: (f.name ?? '').trim(),
    description: (f.description ?? '').trim(),
    rfc: (f.rfc ?? '').trim().toUpperCase(),
    // The SAT compares the name as registered: upper case, no régimen societario suffix is the caller's job.
    razon_social: (f.razon_social ?? '').trim().replace(/\s+/g, ' ').toUpperCase(),
    regimen_fiscal: (f.regimen_fiscal ?? '').trim(),
    lugar_expedicion: (f.lugar_expedicion ?? '').trim(),
  };
}

export function validateAppForm(v: AppForm, existing?: Aplicacion): FieldErrors {
  const e: FieldErrors = {};
  if (!v.name) e.name = 'Escribe un nombre para la aplicación.';
  else if (v.name.length > 100) e.name = 'Máximo 100 caracteres.';
  if (v.description.length > 500) e.description = 'Máximo 500 caracteres.';
  if (!RFC_RE.test(v.rfc)) e.rfc = 'RFC inválido: 12 caracteres (persona moral) o 13 (persona física), p. ej. EKU9003173C9.';
  else if (existing?.csd_certificado && v.rfc !== existing.rfc) {
    e.rfc = `Ya hay un CSD de ${existing.rfc} cargado; el RFC del emisor no puede cambiar.`;
  }
  if (!v.razon_social) e.razon_social = 'Escribe la razón social tal como aparece en la Constancia de Situación Fiscal.';
  else if (v.razon_social.length > 254) e.razon_social = 'Máximo 254 caracteres.';
  const regimen = catalogs.regimenFiscal(v.regimen_fiscal);
  if (!regimen) e.regimen_fiscal = 'Elige un régimen fiscal del catálogo c_RegimenFiscal.';
  else if (RFC_RE.test(v.rfc)) {
    const moral = v.rfc.length === 12;
    if (moral && !regimen.aplicaMoral) e.regimen_fiscal = `El régimen ${regimen.id} no aplica a personas morales.`;
    if (!moral && !regimen.aplicaFisica) e.regimen_fiscal = `El régimen ${regimen.id} no aplica a personas físicas.`;
  }
  if (!/^\d{5}$/.test(v.lugar_expedicion)) e.lugar_expedicion = 'Código postal de 5 dígitos.';
  return e;
}

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
  const apps = await getDb(c.env).select().from(clientApplications).orderBy(desc(clientApplications.id)).all();
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
          <Tabla columnas={['Nombre', 'RFC', 'Razón social', 'Estado', 'CSD', 'Creada']}>
            {apps.map((a) => (
              <tr>
                <td>
                  <a href={`/admin/aplicaciones/${a.id}`}>{a.name}</a>
                </td>
                <td class="mono">{a.rfc}</td>
                <td>{a.razon_social}</td>
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
        <ErrorSummary errors={errors} />
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
  const errors = validateAppForm(v);
  if (Object.keys(errors).length) return NewAppPage(c, v, errors);
  const id = uuidv7();
  await getDb(c.env)
    .insert(clientApplications)
    .values({ id, ...v, description: v.description || null });
  return redirectWith(c, `/admin/aplicaciones/${id}/csd`, 'app_creada');
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
        <ErrorSummary errors={errors} />
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
  return EditAppPage(c, app, { ...app, description: app.description ?? '' }, {});
});

aplicaciones.post('/:appId/editar', async (c) => {
  const app = await loadApp(c);
  const v = readAppForm(await formFields(c));
  const errors = validateAppForm(v, app);
  if (Object.keys(errors).length) return EditAppPage(c, app, v, errors);
  await getDb(c.env)
    .update(clientApplications)
    .set({ ...v, description: v.description || null, updated_at: new Date().toISOString() })
    .where(eq(clientApplications.id, app.id))
    .run();
  return redirectWith(c, `/admin/aplicaciones/${app.id}`, 'app_guardada');
});

for (const [action, status, notice] of [
  ['suspender', 'suspended', 'app_suspendida'],
  ['reactivar', 'active', 'app_reactivada'],
] as const) {
  aplicaciones.post(`/:appId/${action}`, async (c) => {
    const app = await loadApp(c);
    await getDb(c.env)
      .update(clientApplications)
      .set({ status, updated_at: new Date().toISOString() })
      .where(eq(clientApplications.id, app.id))
      .run();
    return redirectWith(c, `/admin/aplicaciones/${app.id}`, notice);
  });
}
