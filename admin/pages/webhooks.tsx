import { Hono, type Context } from 'hono';
import type { Tenant } from '../../src/lib/tenancy';
import type { Aplicacion } from '../../src/services/comprobantes';
import { EVENT_TYPES } from '../../src/webhooks/events';
import {
  actualizarWebhook,
  crearWebhook,
  eliminarWebhook,
  enviarPrueba,
  type EntregaView,
  listarEntregas,
  listarWebhooks,
  MAX_WEBHOOKS,
  obtenerWebhook,
  reenviarEntrega,
  rotarSecreto,
  type WebhookView,
} from '../../src/services/webhooks';
import type { AdminEnv } from '../auth';
import { Checkboxes, ErrorSummary, type FieldErrors, SecretOnce, TextField } from '../components/form';
import { Csrf, type Flash, FlashMessage, PageHead } from '../components/layout';
import { AppTabs, Badge, Empty, ModeBadge, Tabla } from '../components/ui';
import { enFormulario, type Rechazo } from '../errors';
import { AppStatus, loadApp } from './aplicaciones';
import { aviso, currentMode, fecha, formFields, formList, page, redirectWith } from '../render';

// The panel is one more client of src/services/webhooks.ts: the same validation, URL policy and limits as the API.

const TODOS = '*';
const EVENT_OPTIONS = [TODOS, ...EVENT_TYPES];

interface WebhookForm {
  url: string;
  description: string;
  events: string[];
}

const tenantOfApp = (c: Context<AdminEnv>, app: Aplicacion): Tenant => ({ applicationId: app.id, mode: currentMode(c) });

const appCrumbs = (app: Aplicacion) => [
  { href: '/admin/aplicaciones', label: 'Aplicaciones' },
  { href: `/admin/aplicaciones/${app.id}`, label: app.name },
];

const WebhookFields = ({ v, errors }: { v: WebhookForm; errors: FieldErrors }) => (
  <>
    <TextField
      name="url"
      label="URL del endpoint"
      type="url"
      value={v.url}
      error={errors.url}
      hint="https en producción; no se admiten direcciones internas ni privadas."
      required
      maxlength={2048}
    />
    <TextField name="description" label="Descripción (opcional)" value={v.description} error={errors.description} maxlength={500} />
    <Checkboxes
      name="events"
      legend="Eventos"
      options={EVENT_OPTIONS}
      labels={{ [TODOS]: 'todos' }}
      checked={v.events}
      error={errors.events}
      hint="«*» suscribe a todos, incluidos los que se agreguen después."
    />
  </>
);

const ListPage = (
  c: Context<AdminEnv>,
  app: Aplicacion,
  hooks: WebhookView[],
  form: WebhookForm,
  errors: FieldErrors,
  created?: { webhook: WebhookView; secret: string },
  flash?: Flash,
) => {
  const base = `/admin/aplicaciones/${app.id}/webhooks`;
  return (
    <>
      <PageHead title={app.name} crumbs={appCrumbs(app)}>
        <AppStatus app={app} />
      </PageHead>
      <FlashMessage flash={flash ?? aviso(c)} />
      <AppTabs appId={app.id} current="webhooks" />
      {created ? <SecretCard title={`Webhook creado: ${created.webhook.url}`} secret={created.secret} /> : null}
      <section class="card">
        <h2>
          Webhooks <ModeBadge mode={currentMode(c)} />
        </h2>
        {hooks.length ? (
          <div class="tablewrap">
            <Tabla columnas={['URL', 'Eventos', 'Estado', 'Creado']}>
              {hooks.map((h) => (
                <tr>
                  <td>
                    <a href={`${base}/${h.id}`}>{h.url}</a>
                    {h.description ? <div class="small muted">{h.description}</div> : null}
                  </td>
                  <td class="small">{h.events.includes(TODOS) ? 'todos' : h.events.join(', ')}</td>
                  <td>{h.active ? <Badge tone="ok">Activo</Badge> : <Badge tone="neutral">Desactivado</Badge>}</td>
                  <td>{fecha(h.created_at)}</td>
                </tr>
              ))}
            </Tabla>
          </div>
        ) : (
          <Empty>Sin webhooks en este modo.</Empty>
        )}
      </section>
      <section class="card">
        <h2>Nuevo webhook</h2>
        <p class="muted small">Hasta {MAX_WEBHOOKS} por aplicación y modo. Cada entrega va firmada (Standard Webhooks) con el secreto que se muestra al crearlo.</p>
        <ErrorSummary errors={errors} message={errors.form} />
        <form method="post" action={base} class="stack" novalidate>
          <Csrf token={c.get('session').csrf} />
          <WebhookFields v={form} errors={errors} />
          <div class="formactions">
            <button type="submit" class="btn">
              Crear webhook
            </button>
          </div>
        </form>
      </section>
    </>
  );
};

const SecretCard = ({ title, secret }: { title: string; secret: string }) => (
  <section class="card">
    <h2>{title}</h2>
    <div class="alert alert-warn">Copia el secreto de firma ahora: es la única vez que se muestra.</div>
    <SecretOnce id="secret" label="Secreto de firma" value={secret} />
  </section>
);

const listAll = async (c: Context<AdminEnv>, tenant: Tenant) => (await listarWebhooks(c.var.deps, tenant, { limit: MAX_WEBHOOKS })).data;

export const webhooks = new Hono<AdminEnv>();

webhooks.get('/:appId/webhooks', async (c) => {
  const app = await loadApp(c);
  const hooks = await listAll(c, tenantOfApp(c, app));
  return page(c, { title: `Webhooks · ${app.name}`, section: 'aplicaciones' }, ListPage(c, app, hooks, { url: '', description: '', events: ['factura.timbrada'] }, {}));
});

webhooks.post('/:appId/webhooks', async (c) => {
  const app = await loadApp(c);
  const tenant = tenantOfApp(c, app);
  const f = await formFields(c);
  const v: WebhookForm = { url: (f.url ?? '').trim(), description: (f.description ?? '').trim(), events: await formList(c, 'events') };
  const listPage = async (form: WebhookForm, r: Partial<Rechazo>, created?: { webhook: WebhookView; secret: string }) =>
    page(c, { title: `Webhooks · ${app.name}`, section: 'aplicaciones' }, ListPage(c, app, await listAll(c, tenant), form, r.errors ?? {}, created, r.flash), r.status);
  return enFormulario(
    async () => (await crearWebhook(c.var.deps, tenant, { url: v.url, events: v.events, description: v.description || undefined })).value,
    (r) => listPage(v, r),
    (created) => listPage({ url: '', description: '', events: ['factura.timbrada'] }, { status: 201 }, created),
  );
});

const ESTADO_ENTREGA: Record<EntregaView['status'], 'ok' | 'bad' | 'info' | 'neutral'> = {
  pendiente: 'info',
  entregada: 'ok',
  fallida: 'bad',
  descartada: 'neutral',
};

async function DetailPage(c: Context<AdminEnv>, app: Aplicacion, hook: WebhookView, form: WebhookForm, errors: FieldErrors, extra?: { secret?: string; flash?: Flash }) {
  const tenant = tenantOfApp(c, app);
  const entregas = (await listarEntregas(c.var.deps, tenant, hook.id, { limit: 50 })).data;
  const base = `/admin/aplicaciones/${app.id}/webhooks/${hook.id}`;
  const csrf = c.get('session').csrf;
  const Action = ({ action, label, kind = 'btn-secondary' }: { action: string; label: string; kind?: string }) => (
    <form method="post" action={`${base}/${action}`} class="inline">
      <Csrf token={csrf} />
      <button type="submit" class={`btn ${kind}`}>
        {label}
      </button>
    </form>
  );
  return (
    <>
      <PageHead title="Webhook" subtitle={<span class="mono">{hook.url}</span>} crumbs={[...appCrumbs(app), { href: `/admin/aplicaciones/${app.id}/webhooks`, label: 'Webhooks' }]}>
        {hook.active ? <Badge tone="ok">Activo</Badge> : <Badge tone="neutral">Desactivado</Badge>}
        {hook.active ? <Action action="prueba" label="Enviar evento de prueba" /> : null}
        <Action action="rotar" label="Rotar secreto" />
        {hook.active ? <Action action="desactivar" label="Desactivar" kind="btn-danger" /> : <Action action="activar" label="Activar" kind="btn" />}
        <Action action="eliminar" label="Eliminar" kind="btn-danger" />
      </PageHead>
      <FlashMessage flash={extra?.flash ?? aviso(c)} />
      {extra?.secret ? <SecretCard title="Secreto nuevo" secret={extra.secret} /> : null}
      {hook.secreto_anterior_vigente_hasta ? (
        <div class="alert alert-warn">El secreto anterior también firma hasta {fecha(hook.secreto_anterior_vigente_hasta)}.</div>
      ) : null}
      <section class="card">
        <h2>Configuración</h2>
        <ErrorSummary errors={errors} message={errors.form} />
        <form method="post" action={base} class="stack" novalidate>
          <Csrf token={csrf} />
          <WebhookFields v={form} errors={errors} />
          <div class="formactions">
            <button type="submit" class="btn">
              Guardar cambios
            </button>
          </div>
        </form>
      </section>
      <section class="card">
        <h2>Entregas recientes</h2>
        {entregas.length ? (
          <div class="tablewrap">
            <Tabla columnas={['Evento', 'Origen', 'Estado', 'Intentos', 'Última respuesta', 'Creada']} acciones>
              {entregas.map((e) => {
                const ultimo = e.intentos[e.intentos.length - 1];
                return (
                  <tr data-entrega-id={e.id}>
                    <td>
                      <code>{e.type}</code>
                      <div class="small muted mono">{e.evento_id}</div>
                    </td>
                    <td>{e.origen}</td>
                    <td>
                      <Badge tone={ESTADO_ENTREGA[e.status]}>{e.status}</Badge>
                    </td>
                    <td class="num">{e.intentos.length}</td>
                    <td class="small">{ultimo ? `${ultimo.status_code ?? ultimo.error ?? '—'} · ${ultimo.latencia_ms} ms` : '—'}</td>
                    <td>{fecha(e.created_at)}</td>
                    <td class="actions">
                      {e.status !== 'pendiente' && hook.active ? (
                        <form method="post" action={`${base}/entregas/${e.id}/reenviar`} class="inline">
                          <Csrf token={csrf} />
                          <button type="submit" class="btn btn-secondary btn-sm">
                            Reenviar
                          </button>
                        </form>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </Tabla>
          </div>
        ) : (
          <Empty>Aún no hay entregas.</Empty>
        )}
      </section>
    </>
  );
}

const formOf = (h: WebhookView): WebhookForm => ({ url: h.url, description: h.description ?? '', events: h.events });

async function loadHook(c: Context<AdminEnv>) {
  const app = await loadApp(c);
  const tenant = tenantOfApp(c, app);
  const hook = await obtenerWebhook(c.var.deps, tenant, c.req.param('webhookId') ?? '');
  return { app, tenant, hook };
}

const title = (app: Aplicacion) => ({ title: `Webhook · ${app.name}`, section: 'aplicaciones' as const });

webhooks.get('/:appId/webhooks/:webhookId', async (c) => {
  const { app, hook } = await loadHook(c);
  return page(c, title(app), await DetailPage(c, app, hook, formOf(hook), {}));
});

webhooks.post('/:appId/webhooks/:webhookId', async (c) => {
  const { app, tenant, hook } = await loadHook(c);
  const f = await formFields(c);
  const v: WebhookForm = { url: (f.url ?? '').trim(), description: (f.description ?? '').trim(), events: await formList(c, 'events') };
  return enFormulario(
    () => actualizarWebhook(c.var.deps, tenant, hook.id, { url: v.url, events: v.events, description: v.description || null }),
    async (r) => page(c, title(app), await DetailPage(c, app, hook, v, r.errors, { flash: r.flash }), r.status),
    () => redirectWith(c, `/admin/aplicaciones/${app.id}/webhooks/${hook.id}`, 'webhook_guardado'),
  );
});

for (const [action, active, notice] of [
  ['activar', true, 'webhook_activado'],
  ['desactivar', false, 'webhook_desactivado'],
] as const) {
  webhooks.post(`/:appId/webhooks/:webhookId/${action}`, async (c) => {
    const { app, tenant, hook } = await loadHook(c);
    await actualizarWebhook(c.var.deps, tenant, hook.id, { active });
    return redirectWith(c, `/admin/aplicaciones/${app.id}/webhooks/${hook.id}`, notice);
  });
}

/** Service refusals (inactive webhook, delivery still pending) come back as a message on the same page. */
async function action(c: Context<AdminEnv>, run: (t: Tenant, id: string) => Promise<unknown>, notice: 'webhook_prueba' | 'entrega_reenviada') {
  const { app, tenant, hook } = await loadHook(c);
  return enFormulario(
    () => run(tenant, hook.id),
    async (r) => page(c, title(app), await DetailPage(c, app, hook, formOf(hook), r.errors, { flash: r.flash }), r.status),
    () => redirectWith(c, `/admin/aplicaciones/${app.id}/webhooks/${hook.id}`, notice),
  );
}

webhooks.post('/:appId/webhooks/:webhookId/prueba', (c) => action(c, (t, id) => enviarPrueba(c.var.deps, t, id), 'webhook_prueba'));
webhooks.post('/:appId/webhooks/:webhookId/entregas/:entregaId/reenviar', (c) =>
  action(c, (t, id) => reenviarEntrega(c.var.deps, t, id, c.req.param('entregaId')), 'entrega_reenviada'),
);

webhooks.post('/:appId/webhooks/:webhookId/rotar', async (c) => {
  const { app, tenant, hook } = await loadHook(c);
  const { webhook, secret } = await rotarSecreto(c.var.deps, tenant, hook.id);
  return page(c, title(app), await DetailPage(c, app, webhook, formOf(webhook), {}, { secret }));
});

webhooks.post('/:appId/webhooks/:webhookId/eliminar', async (c) => {
  const { app, tenant, hook } = await loadHook(c);
  await eliminarWebhook(c.var.deps, tenant, hook.id);
  return redirectWith(c, `/admin/aplicaciones/${app.id}/webhooks`, 'webhook_eliminado');
});
