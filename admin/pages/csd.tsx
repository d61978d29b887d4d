import { Hono, type Context } from 'hono';
import type { Aplicacion } from '../../src/services/comprobantes';
import { guardarCsd } from '../../src/services/csd';
import type { AdminEnv } from '../auth';
import { ErrorSummary, type FieldErrors, FileField, TextField } from '../components/form';
import { Csrf, FlashMessage, PageHead } from '../components/layout';
import { AppTabs } from '../components/ui';
import { enFormulario } from '../errors';
import { AppStatus, loadApp } from './aplicaciones';
import { aviso, fecha, formFields, formFile, page, redirectWith } from '../render';

const CsdPage = (c: Context<AdminEnv>, app: Aplicacion, errors: FieldErrors) => (
  <>
    <PageHead
      title={app.name}
      crumbs={[
        { href: '/admin/aplicaciones', label: 'Aplicaciones' },
        { href: `/admin/aplicaciones/${app.id}`, label: app.name },
      ]}
    >
      <AppStatus app={app} />
    </PageHead>
    <FlashMessage flash={aviso(c)} />
    <AppTabs appId={app.id} current="csd" />
    <div class="grid">
      <section class="card">
        <h2>{app.csd_certificado ? 'Reemplazar el CSD' : 'Subir el CSD'}</h2>
        <p class="muted">
          El Certificado de Sello Digital de <span class="mono">{app.rfc}</span>: el archivo <code>.cer</code>, su llave <code>.key</code> y
          la contraseña de la llave. Se valida al momento; la llave se guarda cifrada y la contraseña no se guarda.
        </p>
        <ErrorSummary errors={errors} message={errors.form} />
        <form method="post" action={`/admin/aplicaciones/${app.id}/csd`} enctype="multipart/form-data" class="stack" novalidate>
          <Csrf token={c.get('session').csrf} />
          <FileField name="cer" label="Certificado (.cer)" accept=".cer,application/pkix-cert" error={errors.cer} required />
          <FileField name="key" label="Llave privada (.key)" accept=".key" error={errors.key} required />
          <TextField name="password" label="Contraseña de la llave privada" type="password" error={errors.password} required autocomplete="off" />
          <div class="formactions">
            <button type="submit" class="btn">
              Validar y guardar
            </button>
          </div>
        </form>
      </section>
      <section class="card">
        <h2>CSD actual</h2>
        {app.csd_certificado ? (
          <dl class="kv">
            <dt>No. de certificado</dt>
            <dd class="mono">{app.csd_no_certificado}</dd>
            <dt>Válido hasta</dt>
            <dd>{fecha(app.csd_valido_hasta)}</dd>
            <dt>Llave privada</dt>
            <dd>Cifrada con AES-256-GCM</dd>
          </dl>
        ) : (
          <p class="muted">Esta aplicación aún no tiene CSD: no puede timbrar.</p>
        )}
      </section>
    </div>
  </>
);

export const csd = new Hono<AdminEnv>();

csd.get('/:appId/csd', async (c) => {
  const app = await loadApp(c);
  return page(c, { title: `CSD · ${app.name}`, section: 'aplicaciones' }, CsdPage(c, app, {}));
});

csd.post('/:appId/csd', async (c) => {
  const app = await loadApp(c);
  const bytes = async (name: string) => {
    const file = await formFile(c, name);
    return file && new Uint8Array(await file.arrayBuffer());
  };
  const archivos = { cer: await bytes('cer'), key: await bytes('key'), password: (await formFields(c)).password ?? '' };
  return enFormulario(
    () => guardarCsd(c.var.deps, app.id, archivos),
    (r) => page(c, { title: `CSD · ${app.name}`, section: 'aplicaciones' }, CsdPage(c, app, r.errors), r.status),
    () => redirectWith(c, `/admin/aplicaciones/${app.id}/csd`, 'csd_guardado'),
  );
});
