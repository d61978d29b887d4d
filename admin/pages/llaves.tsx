import { Hono, type Context } from 'hono';
import { type ApiKey, crearApiKey, type DatosApiKey, listarApiKeys, revocarApiKey, SCOPES } from '../../src/services/api-keys';
import type { Aplicacion } from '../../src/services/comprobantes';
import type { AdminEnv } from '../auth';
import { Checkboxes, ErrorSummary, type FieldErrors, Radios, SecretOnce, TextField } from '../components/form';
import { Csrf, FlashMessage, PageHead } from '../components/layout';
import { AppTabs, Badge, Empty, ModeBadge, Tabla } from '../components/ui';
import { enFormulario } from '../errors';
import { AppStatus, loadApp } from './aplicaciones';
import { aviso, currentMode, fecha, formFields, formList, page, redirectWith } from '../render';

type KeyForm = Required<{ [K in keyof DatosApiKey]: K extends 'scopes' ? string[] : string }>;

const appCrumbs = (app: Aplicacion) => [
  { href: '/admin/aplicaciones', label: 'Aplicaciones' },
  { href: `/admin/aplicaciones/${app.id}`, label: app.name },
];

function keyState(k: ApiKey, now: string) {
  if (k.revoked_at) return <Badge tone="neutral">Revocada</Badge>;
  if (k.expires_at && k.expires_at <= now) return <Badge tone="bad">Expirada</Badge>;
  return <Badge tone="ok">Activa</Badge>;
}

const KeyFormFields = ({ v, errors }: { v: KeyForm; errors: FieldErrors }) => (
  <>
    <TextField name="name" label="Nombre" value={v.name} error={errors.name} hint="Para reconocerla después, p. ej. «servidor de producción»." required maxlength={100} />
    <Radios
      name="mode"
      legend="Modo"
      value={v.mode}
      error={errors.mode}
      options={[
        { value: 'test', label: 'Pruebas (hfx_test_…): timbra con el PAC de pruebas' },
        { value: 'live', label: 'Producción (hfx_live_…)' },
      ]}
    />
    <Checkboxes name="scopes" legend="Permisos (scopes)" options={SCOPES} checked={v.scopes} error={errors.scopes} />
    <TextField name="expires" label="Expira (opcional)" type="date" value={v.expires} error={errors.expires} hint="Sin fecha, la key no expira; vence al final del día (UTC)." />
  </>
);

const KeysPage = (c: Context<AdminEnv>, app: Aplicacion, keys: ApiKey[], form: KeyForm, errors: FieldErrors, created?: { token: string; apiKey: ApiKey }) => {
  const now = c.var.deps.clock().toISOString();
  const csrf = c.get('session').csrf;
  return (
    <>
      <PageHead title={app.name} crumbs={appCrumbs(app)}>
        <AppStatus app={app} />
      </PageHead>
      <FlashMessage flash={aviso(c)} />
      <AppTabs appId={app.id} current="llaves" />
      {created ? (
        <section class="card" aria-labelledby="nueva-key">
          <h2 id="nueva-key">API key creada: «{created.apiKey.name}»</h2>
          <div class="alert alert-warn">Copia la key ahora: es la única vez que se muestra. HexaFac solo guarda su hash.</div>
          <SecretOnce id="token" label="API key" value={created.token} />
        </section>
      ) : null}
      <section class="card">
        <h2>API keys</h2>
        {keys.length ? (
          <div class="tablewrap">
            <Tabla columnas={['Nombre', 'Prefijo', 'Modo', 'Scopes', 'Último uso', 'Expira', 'Estado']} acciones>
              {keys.map((k) => (
                <tr data-key-id={k.id}>
                  <td>{k.name}</td>
                  <td class="mono">{k.prefix}…</td>
                  <td>
                    <ModeBadge mode={k.mode} />
                  </td>
                  <td class="small">{k.scopes.length === SCOPES.length ? 'todos' : k.scopes.join(', ')}</td>
                  <td>{k.last_used_at ? fecha(k.last_used_at) : 'Nunca'}</td>
                  <td>{k.expires_at ? fecha(k.expires_at) : 'No expira'}</td>
                  <td>{keyState(k, now)}</td>
                  <td class="actions">
                    {k.revoked_at ? null : (
                      <form method="post" action={`/admin/aplicaciones/${app.id}/llaves/${k.id}/revocar`} class="inline">
                        <Csrf token={csrf} />
                        <button type="submit" class="btn btn-danger btn-sm" aria-label={`Revocar ${k.name}`}>
                          Revocar
                        </button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </Tabla>
          </div>
        ) : (
          <Empty>Esta aplicación aún no tiene API keys.</Empty>
        )}
      </section>
      <section class="card">
        <h2>Nueva API key</h2>
        <ErrorSummary errors={errors} message={errors.form} />
        <form method="post" action={`/admin/aplicaciones/${app.id}/llaves`} class="stack" novalidate>
          <Csrf token={csrf} />
          <KeyFormFields v={form} errors={errors} />
          <div class="formactions">
            <button type="submit" class="btn">
              Crear API key
            </button>
          </div>
        </form>
      </section>
    </>
  );
};

const blankForm = (c: Context<AdminEnv>): KeyForm => ({ name: '', mode: currentMode(c), scopes: [...SCOPES], expires: '' });

const title = (app: Aplicacion) => ({ title: `API keys · ${app.name}`, section: 'aplicaciones' as const });

export const llaves = new Hono<AdminEnv>();

llaves.get('/:appId/llaves', async (c) => {
  const app = await loadApp(c);
  return page(c, title(app), KeysPage(c, app, await listarApiKeys(c.var.deps, app.id), blankForm(c), {}));
});

llaves.post('/:appId/llaves', async (c) => {
  const app = await loadApp(c);
  const f = await formFields(c);
  const v: KeyForm = { name: f.name ?? '', mode: f.mode ?? '', scopes: await formList(c, 'scopes'), expires: f.expires ?? '' };
  return enFormulario(
    () => crearApiKey(c.var.deps, app.id, v),
    async (r) => page(c, title(app), KeysPage(c, app, await listarApiKeys(c.var.deps, app.id), v, r.errors), r.status),
    // The token is rendered in this response only (no redirect): it is never stored nor shown again.
    async (created) => page(c, title(app), KeysPage(c, app, await listarApiKeys(c.var.deps, app.id), blankForm(c), {}, created), 201),
  );
});

llaves.post('/:appId/llaves/:keyId/revocar', async (c) => {
  const app = await loadApp(c);
  await revocarApiKey(c.var.deps, app.id, c.req.param('keyId'));
  return redirectWith(c, `/admin/aplicaciones/${app.id}/llaves`, 'llave_revocada');
});
