import { eq } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import { CsdError, type CsdErrorCode, leerCsd } from '../../src/cfdi';
import { getDb } from '../../src/db/client';
import { clientApplications } from '../../src/db/schema';
import { encryptSecret } from '../../src/lib/crypto';
import type { AdminEnv } from '../auth';
import { ErrorSummary, type FieldErrors, FileField, TextField } from '../components/form';
import { Csrf, FlashMessage, PageHead } from '../components/layout';
import { AppTabs } from '../components/ui';
import { type Aplicacion, AppStatus, loadApp } from './aplicaciones';
import { aviso, fecha, formFields, formFile, page, redirectWith } from '../render';

const MAX_FILE_BYTES = 64 * 1024;

// Which field each CSD check points at, so the message sits next to what the operator must change.
const FIELD_OF: Record<CsdErrorCode, 'cer' | 'key' | 'password'> = {
  csd_invalido: 'cer',
  csd_es_fiel: 'cer',
  csd_rfc_distinto: 'cer',
  csd_vencido: 'cer',
  csd_llave_no_corresponde: 'key',
  csd_password_incorrecto: 'password',
};

const MESSAGES: Partial<Record<CsdErrorCode, (app: Aplicacion, detail: string) => string>> = {
  csd_es_fiel: () => 'Este certificado es una e.firma (FIEL). Sube el Certificado de Sello Digital (CSD), no la FIEL.',
  csd_rfc_distinto: (app, detail) => `${detail}. El CSD debe ser del RFC del emisor (${app.rfc}).`,
  csd_vencido: (_app, detail) => `${detail}. Tramita un CSD vigente en el SAT.`,
  csd_llave_no_corresponde: () => 'Esta llave privada no corresponde al certificado: sube el .key que se generó junto con este .cer.',
  csd_password_incorrecto: () => 'La contraseña no abre la llave privada.',
};

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
  const again = (errors: FieldErrors) => page(c, { title: `CSD · ${app.name}`, section: 'aplicaciones' }, CsdPage(c, app, errors), 422);

  const cer = await formFile(c, 'cer');
  const key = await formFile(c, 'key');
  const { password = '' } = await formFields(c);
  const errors: FieldErrors = {};
  if (!cer) errors.cer = 'Elige el archivo .cer del CSD.';
  else if (cer.size > MAX_FILE_BYTES) errors.cer = 'El archivo es demasiado grande para ser un certificado.';
  if (!key) errors.key = 'Elige el archivo .key del CSD.';
  else if (key.size > MAX_FILE_BYTES) errors.key = 'El archivo es demasiado grande para ser una llave privada.';
  if (!password) errors.password = 'Escribe la contraseña de la llave privada.';
  if (!cer || !key || Object.keys(errors).length) return again(errors);

  let leido: Awaited<ReturnType<typeof leerCsd>>;
  try {
    leido = await leerCsd(new Uint8Array(await cer.arrayBuffer()), new Uint8Array(await key.arrayBuffer()), password, { rfcEmisor: app.rfc });
  } catch (e) {
    if (!(e instanceof CsdError)) throw e;
    // A key file that is not a PKCS#8 key is the .key's problem, not the certificate's.
    const field = e.code === 'csd_invalido' && /\.key|llave/i.test(e.message) ? 'key' : FIELD_OF[e.code];
    return again({ [field]: MESSAGES[e.code]?.(app, e.message) ?? `${e.message}.` });
  }
  const { csd: datos, pkcs8 } = leido;
  await getDb(c.env)
    .update(clientApplications)
    .set({
      csd_certificado: datos.certificadoBase64,
      csd_no_certificado: datos.noCertificado,
      csd_valido_hasta: datos.validoHasta.toISOString(),
      csd_llave_cifrada: await encryptSecret(c.env.MASTER_KEY, new Uint8Array(pkcs8)),
      updated_at: new Date().toISOString(),
    })
    .where(eq(clientApplications.id, app.id))
    .run();
  return redirectWith(c, `/admin/aplicaciones/${app.id}/csd`, 'csd_guardado');
});
