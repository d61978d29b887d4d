import { eq } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import { clientApplications } from '../../src/db/schema';
import { PLATFORM_SCOPES } from '../../src/lib/auth-plataforma';
import {
  cargarPlataforma,
  crearPlataforma,
  crearPlatformKey,
  listarPlataformas,
  listarPlatformKeys,
  reactivarPlataforma,
  revocarPlatformKey,
  suspenderPlataforma,
  type Plataforma,
  type PlatformKey,
} from '../../src/services/plataformas';
import type { AdminEnv } from '../auth';
import { Checkboxes, ErrorSummary, type FieldErrors, SecretOnce, TextField } from '../components/form';
import { Csrf, FlashMessage, PageHead } from '../components/layout';
import { Badge, Empty, Tabla } from '../components/ui';
import { enFormulario } from '../errors';
import { aviso, fecha, formFields, formList, page, redirectWith } from '../render';

// Platforms (an ERP, a POS vendor) and their hfx_plat_ keys: made here by the operators; with a key the
// platform manages its own applications by API (/plataforma/aplicaciones). A token is shown once, in the answer
// that minted it.

const crumbs = [{ href: '/admin/plataformas', label: 'Plataformas' }];
const title = (t: string) => ({ title: t, section: 'plataformas' as const });

const Estado = ({ p }: { p: Plataforma }) => (p.status === 'active' ? <Badge tone="ok">Activa</Badge> : <Badge tone="bad">Suspendida</Badge>);

function keyState(k: PlatformKey, now: string) {
  if (k.revoked_at) return <Badge tone="neutral">Revocada</Badge>;
  if (k.expires_at && k.expires_at <= now) return <Badge tone="bad">Expirada</Badge>;
  return <Badge tone="ok">Activa</Badge>;
}

const ListaPage = (c: Context<AdminEnv>, plataformas: Plataforma[], name: string, errors: FieldErrors) => (
  <>
    <PageHead title="Plataformas" subtitle="ERP y sistemas que administran por API las aplicaciones de sus emisores." />
    <section class="card">
      {plataformas.length ? (
        <div class="tablewrap">
          <Tabla columnas={['Nombre', 'Plan', 'Estado', 'Creada']}>
            {plataformas.map((p) => (
              <tr data-platform-id={p.id}>
                <td>
                  <a href={`/admin/plataformas/${p.id}`}>{p.name}</a>
                </td>
                <td>{p.plan}</td>
                <td>
                  <Estado p={p} />
                </td>
                <td>{fecha(p.created_at)}</td>
              </tr>
            ))}
          </Tabla>
        </div>
      ) : (
        <Empty>Aún no hay plataformas.</Empty>
      )}
    </section>
    <section class="card">
      <h2>Nueva plataforma</h2>
      <ErrorSummary errors={errors} message={errors.form} />
      <form method="post" action="/admin/plataformas" class="stack" novalidate>
        <Csrf token={c.get('session').csrf} />
        <TextField name="name" label="Nombre" value={name} error={errors.name} required maxlength={100} />
        <div class="formactions">
          <button type="submit" class="btn">
            Crear plataforma
          </button>
        </div>
      </form>
    </section>
  </>
);

interface Detalle {
  plataforma: Plataforma;
  keys: PlatformKey[];
  apps: { id: string; name: string; rfc: string; status: string }[];
}

async function detalle(c: Context<AdminEnv>): Promise<Detalle> {
  const plataforma = await cargarPlataforma(c.var.deps, c.req.param('id') ?? '');
  const [keys, apps] = await Promise.all([
    listarPlatformKeys(c.var.deps, plataforma.id),
    c.var.deps.db
      .select({ id: clientApplications.id, name: clientApplications.name, rfc: clientApplications.rfc, status: clientApplications.status })
      .from(clientApplications)
      .where(eq(clientApplications.platform_id, plataforma.id))
      .all(),
  ]);
  return { plataforma, keys, apps };
}

interface KeyForm {
  name: string;
  scopes: string[];
  expires: string;
}
const blankKey = (): KeyForm => ({ name: '', scopes: [...PLATFORM_SCOPES], expires: '' });

const DetallePage = (c: Context<AdminEnv>, d: Detalle, form: KeyForm, errors: FieldErrors, creada?: { token: string; platformKey: PlatformKey }) => {
  const { plataforma: p } = d;
  const csrf = c.get('session').csrf;
  const now = c.var.deps.clock().toISOString();
  const base = `/admin/plataformas/${p.id}`;
  return (
    <>
      <PageHead title={p.name} crumbs={crumbs}>
        <Estado p={p} />
      </PageHead>
      <FlashMessage flash={aviso(c)} />
      <section class="card">
        <form method="post" action={`${base}/${p.status === 'active' ? 'suspender' : 'reactivar'}`} class="inline">
          <Csrf token={csrf} />
          <button type="submit" class={p.status === 'active' ? 'btn btn-danger' : 'btn'}>
            {p.status === 'active' ? 'Suspender plataforma (sus keys dejan de funcionar)' : 'Reactivar plataforma'}
          </button>
        </form>
      </section>
      {creada ? (
        <section class="card" aria-labelledby="nueva-key">
          <h2 id="nueva-key">Key de plataforma creada: «{creada.platformKey.name}»</h2>
          <div class="alert alert-warn">Copia la key ahora: es la única vez que se muestra. HexaFac solo guarda su hash.</div>
          <SecretOnce id="token" label="Key de plataforma" value={creada.token} />
        </section>
      ) : null}
      <section class="card">
        <h2>Keys de plataforma</h2>
        {d.keys.length ? (
          <div class="tablewrap">
            <Tabla columnas={['Nombre', 'Prefijo', 'Scopes', 'Último uso', 'Expira', 'Estado']} acciones>
              {d.keys.map((k) => (
                <tr data-key-id={k.id}>
                  <td>{k.name}</td>
                  <td class="mono">{k.prefix}…</td>
                  <td class="small">{k.scopes.join(', ')}</td>
                  <td>{k.last_used_at ? fecha(k.last_used_at) : 'Nunca'}</td>
                  <td>{k.expires_at ? fecha(k.expires_at) : 'No expira'}</td>
                  <td>{keyState(k, now)}</td>
                  <td class="actions">
                    {k.revoked_at ? null : (
                      <form method="post" action={`${base}/llaves/${k.id}/revocar`} class="inline">
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
          <Empty>Esta plataforma aún no tiene keys.</Empty>
        )}
      </section>
      <section class="card">
        <h2>Nueva key de plataforma</h2>
        <ErrorSummary errors={errors} message={errors.form} />
        <form method="post" action={`${base}/llaves`} class="stack" novalidate>
          <Csrf token={csrf} />
          <TextField name="name" label="Nombre" value={form.name} error={errors.name} required maxlength={100} />
          <Checkboxes name="scopes" legend="Permisos (scopes)" options={PLATFORM_SCOPES} checked={form.scopes} error={errors.scopes} />
          <TextField name="expires" label="Expira (opcional)" type="date" value={form.expires} error={errors.expires} hint="Sin fecha, la key no expira." />
          <div class="formactions">
            <button type="submit" class="btn">
              Crear key
            </button>
          </div>
        </form>
      </section>
      <section class="card">
        <h2>Aplicaciones de la plataforma</h2>
        {d.apps.length ? (
          <Tabla columnas={['Nombre', 'RFC', 'Estado']}>
            {d.apps.map((a) => (
              <tr>
                <td>
                  <a href={`/admin/aplicaciones/${a.id}`}>{a.name}</a>
                </td>
                <td class="mono">{a.rfc}</td>
                <td>{a.status === 'active' ? <Badge tone="ok">Activa</Badge> : <Badge tone="bad">Suspendida</Badge>}</td>
              </tr>
            ))}
          </Tabla>
        ) : (
          <Empty>La plataforma aún no crea aplicaciones.</Empty>
        )}
      </section>
    </>
  );
};

export const plataformas = new Hono<AdminEnv>();

plataformas.get('/', async (c) => page(c, title('Plataformas'), ListaPage(c, await listarPlataformas(c.var.deps), '', {})));

plataformas.post('/', async (c) => {
  const name = (await formFields(c)).name ?? '';
  return enFormulario(
    () => crearPlataforma(c.var.deps, { name }),
    async (r) => page(c, title('Plataformas'), ListaPage(c, await listarPlataformas(c.var.deps), name, r.errors), r.status),
    (p) => redirectWith(c, `/admin/plataformas/${p.id}`, 'plataforma_creada'),
  );
});

plataformas.get('/:id', async (c) => {
  const d = await detalle(c);
  return page(c, title(d.plataforma.name), DetallePage(c, d, blankKey(), {}));
});

plataformas.post('/:id/llaves', async (c) => {
  const d = await detalle(c);
  const f = await formFields(c);
  const v: KeyForm = { name: f.name ?? '', scopes: await formList(c, 'scopes'), expires: f.expires ?? '' };
  return enFormulario(
    () => crearPlatformKey(c.var.deps, d.plataforma.id, v),
    (r) => page(c, title(d.plataforma.name), DetallePage(c, d, v, r.errors), r.status),
    // The token is rendered in this response only (no redirect): it is never stored nor shown again.
    async (creada) => page(c, title(d.plataforma.name), DetallePage(c, await detalle(c), blankKey(), {}, creada), 201),
  );
});

plataformas.post('/:id/llaves/:keyId/revocar', async (c) => {
  const { plataforma } = await detalle(c);
  await revocarPlatformKey(c.var.deps, plataforma.id, c.req.param('keyId'));
  return redirectWith(c, `/admin/plataformas/${plataforma.id}`, 'llave_revocada');
});

plataformas.post('/:id/suspender', async (c) => {
  const p = await suspenderPlataforma(c.var.deps, c.req.param('id'));
  return redirectWith(c, `/admin/plataformas/${p.id}`, 'plataforma_suspendida');
});

plataformas.post('/:id/reactivar', async (c) => {
  const p = await reactivarPlataforma(c.var.deps, c.req.param('id'));
  return redirectWith(c, `/admin/plataformas/${p.id}`, 'plataforma_reactivada');
});
