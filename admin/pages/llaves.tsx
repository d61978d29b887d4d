import { and, desc, eq, isNull } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import { getDb } from '../../src/db/client';
import { apiKeys, MODES, type Mode } from '../../src/db/schema';
import { generateApiKey, SCOPES } from '../../src/lib/auth';
import { uuidv7 } from '../../src/lib/ids';
import type { AdminEnv } from '../auth';
import { Checkboxes, ErrorSummary, type FieldErrors, Radios, SecretOnce, TextField } from '../components/form';
import { Csrf, FlashMessage, PageHead } from '../components/layout';
import { AppTabs, Badge, Empty, ModeBadge, Tabla } from '../components/ui';
import { type Aplicacion, AppStatus, loadApp } from './aplicaciones';
import { aviso, currentMode, fecha, formFields, formList, page, redirectWith } from '../render';
import { NotFound } from '../errors';

type ApiKey = typeof apiKeys.$inferSelect;

interface KeyForm {
  name: string;
  mode: string;
  scopes: string[];
  expires: string;
}

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

const KeysPage = (c: Context<AdminEnv>, app: Aplicacion, keys: ApiKey[], form: KeyForm, errors: FieldErrors, created?: { token: string; key: ApiKey }) => {
  const now = new Date().toISOString();
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
          <h2 id="nueva-key">API key creada: «{created.key.name}»</h2>
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
        <ErrorSummary errors={errors} />
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

const listKeys = (c: Context<AdminEnv>, appId: string) =>
  getDb(c.env).select().from(apiKeys).where(eq(apiKeys.client_application_id, appId)).orderBy(desc(apiKeys.id)).all();

const blankForm = (c: Context<AdminEnv>): KeyForm => ({ name: '', mode: currentMode(c), scopes: [...SCOPES], expires: '' });

export const llaves = new Hono<AdminEnv>();

llaves.get('/:appId/llaves', async (c) => {
  const app = await loadApp(c);
  return page(c, { title: `API keys · ${app.name}`, section: 'aplicaciones' }, KeysPage(c, app, await listKeys(c, app.id), blankForm(c), {}));
});

llaves.post('/:appId/llaves', async (c) => {
  const app = await loadApp(c);
  const f = await formFields(c);
  const v: KeyForm = { name: (f.name ?? '').trim(), mode: f.mode ?? '', scopes: await formList(c, 'scopes'), expires: (f.expires ?? '').trim() };
  const errors: FieldErrors = {};
  if (!v.name) errors.name = 'Escribe un nombre para la key.';
  else if (v.name.length > 100) errors.name = 'Máximo 100 caracteres.';
  if (!(MODES as readonly string[]).includes(v.mode)) errors.mode = 'Elige el modo: pruebas o producción.';
  if (!v.scopes.length) errors.scopes = 'Elige al menos un scope.';
  else if (v.scopes.some((s) => !(SCOPES as readonly string[]).includes(s))) errors.scopes = 'Hay un scope desconocido.';
  let expiresAt: string | null = null;
  if (v.expires) {
    const day = /^\d{4}-\d{2}-\d{2}$/.test(v.expires) ? new Date(`${v.expires}T23:59:59.999Z`) : new Date(NaN);
    if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== v.expires) errors.expires = 'Fecha inválida (AAAA-MM-DD).';
    else if (day.getTime() <= Date.now()) errors.expires = 'La fecha de expiración debe ser futura.';
    else expiresAt = day.toISOString();
  }
  if (Object.keys(errors).length) {
    return page(c, { title: `API keys · ${app.name}`, section: 'aplicaciones' }, KeysPage(c, app, await listKeys(c, app.id), v, errors), 422);
  }
  const mode = v.mode as Mode;
  const generated = await generateApiKey(mode);
  const [row] = await getDb(c.env)
    .insert(apiKeys)
    .values({
      id: uuidv7(),
      client_application_id: app.id,
      name: v.name,
      mode,
      prefix: generated.prefix,
      token_hash: generated.tokenHash,
      // In the catalog's order, whatever order the browser sent them in.
      scopes: SCOPES.filter((s) => v.scopes.includes(s)),
      expires_at: expiresAt,
    })
    .returning();
  // The token is rendered in this response only (no redirect): it is never stored nor shown again.
  return page(
    c,
    { title: `API keys · ${app.name}`, section: 'aplicaciones' },
    KeysPage(c, app, await listKeys(c, app.id), blankForm(c), {}, { token: generated.token, key: row! }),
    201,
  );
});

llaves.post('/:appId/llaves/:keyId/revocar', async (c) => {
  const app = await loadApp(c);
  const now = new Date().toISOString();
  const done = await getDb(c.env)
    .update(apiKeys)
    .set({ revoked_at: now })
    .where(and(eq(apiKeys.id, c.req.param('keyId')), eq(apiKeys.client_application_id, app.id), isNull(apiKeys.revoked_at)))
    .returning({ id: apiKeys.id });
  if (!done.length) throw new NotFound('La API key no existe o ya estaba revocada.');
  return redirectWith(c, `/admin/aplicaciones/${app.id}/llaves`, 'llave_revocada');
});
