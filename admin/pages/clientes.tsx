import { Hono, type Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { catalogs } from '../../src/cfdi';
import { cursorId } from '../../src/lib/pagination';
import type { Tenant } from '../../src/lib/tenancy';
import { actualizarCliente, type ClienteEntrada, type ClienteRow, crearCliente, eliminarCliente, listarClientes, obtenerCliente } from '../../src/services/clientes';
import type { Aplicacion } from '../../src/services/comprobantes';
import type { AdminEnv } from '../auth';
import { ErrorSummary, type FieldErrors, SelectField, TextField } from '../components/form';
import { Csrf, type Flash, FlashMessage, PageHead } from '../components/layout';
import { AppTabs, Empty, ModeBadge, Tabla } from '../components/ui';
import { enFormulario } from '../errors';
import { AppStatus, loadApp } from './aplicaciones';
import { currentMode, formFields, page } from '../render';

// The clientes (receptores) of an application in the panel's mode, through src/services/clientes.ts exactly as
// the API's routes/clientes handlers call it: the service validates RFC, régimen, uso CFDI and CP.

const PAGE_SIZE = 25;

const vigentes = (l: readonly { id: string; texto: string; vigencia: { hasta?: string | null } }[]) =>
  l.filter((x) => !x.vigencia.hasta).map((x) => ({ value: x.id, label: `${x.id} · ${x.texto}` }));
const REGIMENES = vigentes(catalogs.catalogos.regimenesFiscales);
const USOS = vigentes(catalogs.catalogos.usosCfdi);

const CAMPOS = ['rfc', 'nombre', 'domicilio_fiscal', 'regimen_fiscal', 'uso_cfdi', 'email'] as const;
type ClienteForm = Record<(typeof CAMPOS)[number], string>;
const VACIO: ClienteForm = { rfc: '', nombre: '', domicilio_fiscal: '', regimen_fiscal: '', uso_cfdi: '', email: '' };

const tenantDe = (c: Context<AdminEnv>, app: Aplicacion): Tenant => ({ applicationId: app.id, mode: currentMode(c) });
const baseDe = (app: Aplicacion) => `/admin/aplicaciones/${app.id}/clientes`;

/** What was typed, as typed; an empty optional field is absent, so the service gives its default (uso CFDI, CP of a generic RFC). */
function entradaDe(f: ClienteForm): ClienteEntrada {
  const e: ClienteEntrada = {};
  for (const k of CAMPOS) if (f[k].trim()) e[k] = f[k];
  return e;
}

async function leerForm(c: Context<AdminEnv>): Promise<ClienteForm> {
  const f = await formFields(c);
  return Object.fromEntries(CAMPOS.map((k) => [k, f[k] ?? ''])) as ClienteForm;
}

const formDe = (r: ClienteRow): ClienteForm => ({ ...r, email: r.email ?? '' });

function Encabezado({ app, titulo }: { app: Aplicacion; titulo?: string }) {
  const crumbs = [
    { href: '/admin/aplicaciones', label: 'Aplicaciones' },
    { href: `/admin/aplicaciones/${app.id}`, label: app.name },
    ...(titulo ? [{ href: baseDe(app), label: 'Clientes' }] : []),
  ];
  return (
    <PageHead title={titulo ?? app.name} crumbs={crumbs}>
      <AppStatus app={app} />
    </PageHead>
  );
}

function FormPage(
  c: Context<AdminEnv>,
  app: Aplicacion,
  props: { titulo: string; action: string; form: ClienteForm; errors: FieldErrors; flash?: Flash; boton: string; despues?: Child },
  status: ContentfulStatusCode = 200,
) {
  const { form: v, errors } = props;
  return page(
    c,
    { title: `${props.titulo} · ${app.name}`, section: 'aplicaciones' },
    <>
      <Encabezado app={app} titulo={props.titulo} />
      <FlashMessage flash={props.flash} />
      <AppTabs appId={app.id} current="clientes" />
      <ErrorSummary errors={errors} message={errors.form} />
      <form method="post" action={props.action} class="card stack" novalidate>
        <Csrf token={c.get('session').csrf} />
        <TextField name="rfc" label="RFC" value={v.rfc} error={errors.rfc} maxlength={13} required hint="12 caracteres persona moral, 13 persona física." />
        <TextField name="nombre" label="Nombre o razón social" value={v.nombre} error={errors.nombre} required hint="Como en la constancia de situación fiscal, sin régimen societario." />
        <TextField name="domicilio_fiscal" label="Domicilio fiscal (código postal)" value={v.domicilio_fiscal} error={errors.domicilio_fiscal} maxlength={5} inputmode="numeric" />
        <SelectField name="regimen_fiscal" label="Régimen fiscal" options={REGIMENES} value={v.regimen_fiscal} error={errors.regimen_fiscal} blank="Elige…" />
        <SelectField name="uso_cfdi" label="Uso del CFDI por omisión" options={USOS} value={v.uso_cfdi} error={errors.uso_cfdi} blank="El que corresponda (G03 o S01)" />
        <TextField name="email" label="Correo (opcional)" type="email" value={v.email} error={errors.email} />
        <div class="formactions">
          <button type="submit" class="btn">
            {props.boton}
          </button>
          <a href={baseDe(app)}>Volver</a>
        </div>
      </form>
      {props.despues}
    </>,
    status,
  );
}

export const clientes = new Hono<AdminEnv>();

clientes.get('/:appId/clientes', async (c) => {
  const app = await loadApp(c);
  const tenant = tenantDe(c, app);
  const q = (c.req.query('q') ?? '').trim().slice(0, 254);
  // A mangled cursor in the address bar just starts over at the first page.
  const cursor = c.req.query('cursor');
  const { data, next_cursor } = await listarClientes(c.var.deps, tenant, {
    limit: PAGE_SIZE,
    cursor: cursor && cursorId(cursor) ? cursor : undefined,
    q: q || undefined,
  });
  const base = baseDe(app);
  const siguiente = new URLSearchParams({ ...(q ? { q } : {}), ...(next_cursor ? { cursor: next_cursor } : {}) });
  return page(
    c,
    { title: `Clientes · ${app.name}`, section: 'aplicaciones' },
    <>
      <Encabezado app={app} />
      <AppTabs appId={app.id} current="clientes" />
      <div class="pagehead">
        <form method="get" action={base} class="filters" role="search" aria-label="Buscar clientes">
          <TextField name="q" label="RFC o nombre" type="search" value={q} />
          <div class="formactions">
            <button type="submit" class="btn btn-secondary">
              Buscar
            </button>
          </div>
        </form>
        <a class="btn" href={`${base}/nuevo`}>
          Nuevo cliente
        </a>
      </div>
      <p class="muted small">
        Modo <ModeBadge mode={tenant.mode} /> — los clientes de pruebas y de producción son distintos.
      </p>
      <div class="tablewrap">
        {data.length ? (
          <Tabla columnas={['RFC', 'Nombre', 'CP', 'Régimen', 'Uso CFDI']} acciones>
            {data.map((r) => (
              <tr>
                <td class="mono">{r.rfc}</td>
                <td>{r.nombre}</td>
                <td class="mono">{r.domicilio_fiscal}</td>
                <td class="mono">{r.regimen_fiscal}</td>
                <td class="mono">{r.uso_cfdi}</td>
                <td class="actions">
                  <a href={`${base}/${r.id}`}>Editar</a>
                </td>
              </tr>
            ))}
          </Tabla>
        ) : (
          <Empty>{q ? 'Ningún cliente coincide con la búsqueda.' : 'Aún no hay clientes en este modo.'}</Empty>
        )}
      </div>
      {next_cursor ? (
        <p class="mt">
          <a class="btn btn-secondary" href={`${base}?${siguiente}`}>
            Siguientes →
          </a>
        </p>
      ) : null}
    </>,
  );
});

const NUEVO = { titulo: 'Nuevo cliente', boton: 'Guardar cliente' };

clientes.get('/:appId/clientes/nuevo', async (c) => {
  const app = await loadApp(c);
  return FormPage(c, app, { ...NUEVO, action: `${baseDe(app)}/nuevo`, form: VACIO, errors: {} });
});

clientes.post('/:appId/clientes/nuevo', async (c) => {
  const app = await loadApp(c);
  const form = await leerForm(c);
  return enFormulario(
    () => crearCliente(c.var.deps, tenantDe(c, app), entradaDe(form)),
    (r) => FormPage(c, app, { ...NUEVO, action: `${baseDe(app)}/nuevo`, form, errors: r.errors, flash: r.flash }, r.status),
    () => c.redirect(baseDe(app), 303),
  );
});

const EDITAR = { titulo: 'Editar cliente', boton: 'Guardar cambios' };

/** The edit form, and below it the delete button (its own form, so it never sends the typed fields). */
function EditPage(c: Context<AdminEnv>, app: Aplicacion, row: ClienteRow, form: ClienteForm, errors: FieldErrors, flash?: Flash, status?: ContentfulStatusCode) {
  const action = `${baseDe(app)}/${row.id}`;
  const borrar = (
    <section class="card" aria-labelledby="eliminar-titulo">
      <h2 id="eliminar-titulo">Eliminar cliente</h2>
      <p class="muted small">Las facturas ya emitidas lo conservan; deja de poder elegirse y su RFC queda libre.</p>
      <form method="post" action={`${action}/eliminar`}>
        <Csrf token={c.get('session').csrf} />
        <button type="submit" class="btn btn-danger">
          Eliminar cliente
        </button>
      </form>
    </section>
  );
  return FormPage(c, app, { ...EDITAR, action, form, errors, flash, despues: borrar }, status);
}

clientes.get('/:appId/clientes/:clienteId', async (c) => {
  const app = await loadApp(c);
  const row = await obtenerCliente(c.var.deps, tenantDe(c, app), c.req.param('clienteId'));
  return EditPage(c, app, row, formDe(row), {});
});

clientes.post('/:appId/clientes/:clienteId', async (c) => {
  const app = await loadApp(c);
  const tenant = tenantDe(c, app);
  const row = await obtenerCliente(c.var.deps, tenant, c.req.param('clienteId'));
  const form = await leerForm(c);
  // Every field is sent: an emptied optional one clears it (email) or takes its default.
  return enFormulario(
    () => actualizarCliente(c.var.deps, tenant, row.id, { ...entradaDe(form), email: form.email.trim() || null }),
    (r) => EditPage(c, app, row, form, r.errors, r.flash, r.status),
    () => c.redirect(baseDe(app), 303),
  );
});

clientes.post('/:appId/clientes/:clienteId/eliminar', async (c) => {
  const app = await loadApp(c);
  await eliminarCliente(c.var.deps, tenantDe(c, app), c.req.param('clienteId'));
  return c.redirect(baseDe(app), 303);
});
