import { Hono, type Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { FC } from 'hono/jsx';
import type { VerificacionRecibido } from '../../src/cfdi';
import type { AppEnv } from '../../src/lib/context';
import { DomainError, type ErrorDetail } from '../../src/lib/errors';
import { limitBody, MAX_BODY_BYTES } from '../../src/lib/middleware';
import { MODES, type Mode } from '../../src/lib/mode';
import { verificarCfdi } from '../../src/services/verificacion';
import type { AdminEnv } from '../auth';
import { FileField, SelectField, TextArea } from '../components/form';
import { Csrf, PageHead } from '../components/layout';
import { Badge, Empty, Tabla } from '../components/ui';
import { currentMode, formFields, formFile, page } from '../render';

// Verification of a received CFDI from the panel: the same service as POST /cfdi/verificar, nothing stored.

const MODO_LABEL: Record<Mode, string> = {
  live: 'Producción: confía solo en los certificados de timbrado configurados',
  test: 'Pruebas: confía también en el PAC de pruebas (sin validez fiscal)',
};

interface Entrada {
  modo: Mode;
  xml?: string;
}

/** A refusal drawn on the page: the message and the details the service gives. */
interface Fallo {
  message: string;
  details: ErrorDetail[];
}

const MIB = MAX_BODY_BYTES / (1024 * 1024);

const Formulario: FC<{ csrf: string; entrada: Entrada }> = ({ csrf, entrada }) => (
  <section class="card">
    <h2>Documento</h2>
    <p class="muted">
      Sube el XML de un CFDI 4.0 recibido (o pega su contenido). Se revisan el Sello, el TimbreFiscalDigital, los XSD y las reglas del SAT; no se
      guarda nada. Máximo {MIB} MiB.
    </p>
    <form method="post" action="/admin/verificar" enctype="multipart/form-data" class="stack" novalidate>
      <Csrf token={csrf} />
      <FileField name="archivo" label="Archivo XML" accept=".xml,application/xml,text/xml" />
      <TextArea name="xml" label="…o pega el XML" value={entrada.xml} />
      <SelectField
        name="modo"
        label="Certificados de timbrado"
        options={(['live', 'test'] as const).map((m) => ({ value: m, label: MODO_LABEL[m] }))}
        value={entrada.modo}
        hint="Decide contra qué certificados del SAT/PAC se comprueba el SelloSAT."
      />
      <div class="formactions">
        <button type="submit" class="btn">
          Verificar
        </button>
      </div>
    </form>
  </section>
);

const Problemas: FC<{ titulo: string; problemas: ErrorDetail[] }> = ({ titulo, problemas }) => (
  <section class="card" aria-label={titulo}>
    <h2>
      {titulo} <span class="muted small">· {problemas.length}</span>
    </h2>
    {problemas.length ? (
      <div class="tablewrap">
        <Tabla columnas={['Ruta', 'Código', 'Mensaje']}>
          {problemas.map((p) => (
            <tr>
              <td class="mono">{p.path || '/'}</td>
              <td class="mono">{p.code ?? '—'}</td>
              <td>{p.message}</td>
            </tr>
          ))}
        </Tabla>
      </div>
    ) : (
      <Empty>Sin errores.</Empty>
    )}
  </section>
);

const Si: FC<{ ok: boolean }> = ({ ok }) => (ok ? <Badge tone="ok">Sí</Badge> : <Badge tone="bad">No</Badge>);

const SELLO_SAT = {
  valido: { tone: 'ok', label: 'Válido' },
  invalido: { tone: 'bad', label: 'Inválido' },
  desconocido: { tone: 'warn', label: 'Desconocido' },
} as const;

/** Label/value pairs; null values show as a dash. */
const Datos: FC<{ titulo: string; filas: [string, string | null][] }> = ({ titulo, filas }) => (
  <section class="card" aria-label={titulo}>
    <h2>{titulo}</h2>
    <dl class="kv">
      {filas.map(([k, v]) => (
        <>
          <dt>{k}</dt>
          <dd class="mono">{v ?? '—'}</dd>
        </>
      ))}
    </dl>
  </section>
);

const Resultado: FC<{ r: VerificacionRecibido; modo: Mode }> = ({ r, modo }) => {
  const t = r.timbre;
  return (
    <>
      <div class={`alert ${r.valido ? 'alert-ok' : 'alert-error'}`} role="status" data-veredicto={r.valido ? 'valido' : 'no-valido'}>
        <strong>{r.valido ? 'CFDI válido' : 'CFDI no válido'}</strong>
        {' · '}
        {r.tipo_de_comprobante ? `Tipo ${r.tipo_de_comprobante}, ` : ''}versión {r.version ?? '—'}, fecha {r.fecha ?? '—'}. Estado en el SAT (vigente o
        cancelado): no consultado.
      </div>
      <div class="grid">
        <section class="card" aria-label="Sello">
          <h2>Sello del emisor</h2>
          <dl class="kv">
            <dt>Válido</dt>
            <dd>
              <Si ok={r.sello.valido} />
            </dd>
            <dt>RFC del certificado</dt>
            <dd class="mono">{r.sello.rfc ?? '—'}</dd>
            <dt>NoCertificado</dt>
            <dd class="mono">{r.sello.no_certificado ?? '—'}</dd>
            {r.sello.motivo ? (
              <>
                <dt>Motivo</dt>
                <dd>{r.sello.motivo}</dd>
              </>
            ) : null}
          </dl>
        </section>
        <section class="card" aria-label="Timbre">
          <h2>Timbre fiscal digital</h2>
          {t.presente ? (
            <>
              <dl class="kv">
                <dt>UUID</dt>
                <dd class="mono">{t.uuid}</dd>
                <dt>Fecha de timbrado</dt>
                <dd class="mono">{t.fecha}</dd>
                <dt>RfcProvCertif</dt>
                <dd class="mono">{t.rfc_prov_certif ?? '—'}</dd>
                <dt>NoCertificadoSAT</dt>
                <dd class="mono">{t.no_certificado_sat}</dd>
                <dt>SelloCFD = Sello</dt>
                <dd>
                  <Si ok={t.sello_cfd_coincide} />
                </dd>
                <dt>SelloSAT</dt>
                <dd>
                  <Badge tone={SELLO_SAT[t.sello_sat].tone}>
                    <span data-sello-sat={t.sello_sat}>{SELLO_SAT[t.sello_sat].label}</span>
                  </Badge>
                </dd>
              </dl>
              {t.sello_sat === 'desconocido' ? (
                <p class="muted small mt">
                  Desconocido: HexaFac no tiene el certificado de timbrado con NoCertificadoSAT {t.no_certificado_sat}, así que no pudo comprobar el
                  SelloSAT (no se da por bueno ni por falso).{' '}
                  {modo === 'live'
                    ? 'En producción solo cuentan los certificados configurados (CERTIFICADOS_TIMBRADO).'
                    : 'En pruebas cuentan los configurados y el del PAC de pruebas.'}
                </p>
              ) : null}
            </>
          ) : (
            <p class="alert alert-error">No tiene TimbreFiscalDigital: el comprobante no está timbrado.</p>
          )}
        </section>
      </div>
      <Problemas titulo="Estructura (XSD del SAT)" problemas={r.estructura.errores} />
      <Problemas titulo="Reglas del SAT" problemas={r.reglas.errores} />
      <div class="grid">
        <Datos
          titulo="Emisor"
          filas={[
            ['RFC', r.emisor.rfc],
            ['Nombre', r.emisor.nombre],
            ['Régimen fiscal', r.emisor.regimen_fiscal],
          ]}
        />
        <Datos
          titulo="Receptor"
          filas={[
            ['RFC', r.receptor.rfc],
            ['Nombre', r.receptor.nombre],
            ['Domicilio fiscal', r.receptor.domicilio_fiscal],
            ['Régimen fiscal', r.receptor.regimen_fiscal],
            ['Uso CFDI', r.receptor.uso_cfdi],
          ]}
        />
        <Datos
          titulo="Totales"
          filas={[
            ['Moneda', r.totales.moneda],
            ['Tipo de cambio', r.totales.tipo_cambio],
            ['Subtotal', r.totales.subtotal],
            ['Descuento', r.totales.descuento],
            ['Impuestos trasladados', r.totales.total_impuestos_trasladados],
            ['Impuestos retenidos', r.totales.total_impuestos_retenidos],
            ['Total', r.totales.total],
          ]}
        />
      </div>
      <section class="card" aria-label="Complementos">
        <h2>Complementos</h2>
        {r.complementos.length ? (
          <ul>
            {r.complementos.map((n) => (
              <li class="mono">{n}</li>
            ))}
          </ul>
        ) : (
          <Empty>Sin complementos.</Empty>
        )}
        <details class="mt">
          <summary>CFDI como JSON</summary>
          <pre class="json">{JSON.stringify(r.cfdi, null, 2)}</pre>
        </details>
      </section>
    </>
  );
};

const VerificarPage: FC<{ csrf: string; entrada: Entrada; resultado?: VerificacionRecibido; fallo?: Fallo }> = ({ csrf, entrada, resultado, fallo }) => (
  <>
    <PageHead title="Verificar CFDI" subtitle="Un CFDI 4.0 recibido de un proveedor, revisado como lo haría cuentas por pagar antes de pagar." />
    {fallo ? (
      <div class="alert alert-error" role="alert">
        {fallo.message}
        {fallo.details.length ? (
          <ul>
            {fallo.details.map((d) => (
              <li>
                {d.code ? <code>{d.code}</code> : null} {d.path ? <span class="mono">{d.path}</span> : null} {d.message}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    ) : null}
    {resultado ? <Resultado r={resultado} modo={entrada.modo} /> : null}
    <Formulario csrf={csrf} entrada={entrada} />
  </>
);

const dibujar = (c: Context<AdminEnv>, props: { entrada: Entrada; resultado?: VerificacionRecibido; fallo?: Fallo }, status: 200 | 413 | 422 = 200) =>
  page(c, { title: 'Verificar CFDI', section: 'verificar' }, <VerificarPage csrf={c.get('session').csrf} {...props} />, status);

const modoDe = (c: Context<AdminEnv>, v: string | undefined): Mode => ((MODES as readonly string[]).includes(v ?? '') ? (v as Mode) : currentMode(c));

/**
 * The API's body limit for this page, before the CSRF check reads the multipart body: mounted between
 * requireSession and requireCsrf, so an oversized upload gets the page with the message instead of being read.
 */
export const limiteVerificar = createMiddleware<AdminEnv>(async (c, next) => {
  if (c.req.method === 'POST') {
    try {
      // limitBody only reads c.req (and replaces a streamed body); the env types differ in Variables alone
      await limitBody(c as unknown as Context<AppEnv>, async () => {});
    } catch (e) {
      if (!(e instanceof DomainError && e.kind === 'too_large')) throw e;
      return dibujar(c, { entrada: { modo: currentMode(c) }, fallo: { message: `El archivo excede el máximo de ${MIB} MiB.`, details: [] } }, 413);
    }
  }
  await next();
});

export const verificar = new Hono<AdminEnv>();

// the certificates of the half of the panel the operator is looking at
verificar.get('/', (c) => dibujar(c, { entrada: { modo: currentMode(c) } }));

verificar.post('/', async (c) => {
  const f = await formFields(c);
  const archivo = await formFile(c, 'archivo');
  const pegado = f.xml?.trim() ? f.xml : undefined;
  const entrada: Entrada = { modo: modoDe(c, f.modo), xml: pegado };
  if (!archivo === !pegado) {
    const message = archivo ? 'Sube un archivo o pega el XML, no ambos.' : 'Sube el archivo XML del CFDI o pega su contenido.';
    return dibujar(c, { entrada, fallo: { message, details: [] } }, 422);
  }
  // a file's exact bytes: its declared encoding decides how they read
  const xml = archivo ? new Uint8Array(await archivo.arrayBuffer()) : pegado!;
  try {
    return dibujar(c, { entrada, resultado: await verificarCfdi(c.env, entrada.modo, xml) });
  } catch (e) {
    if (!(e instanceof DomainError && e.kind === 'invalid')) throw e;
    return dibujar(c, { entrada, fallo: { message: e.message, details: e.details } }, 422);
  }
});
