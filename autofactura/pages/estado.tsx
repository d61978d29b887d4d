import type { Factura } from '../../src/services/estado';
import { type MarcaPortal, Portal } from './layout';

/** How often the pending page reloads itself (meta refresh: no JavaScript needed). */
export const REFRESCO_S = 3;

/** The invoice after the form: pendiente (reloads) → timbrada (downloads) or rechazada (what to fix, and retry). */
export function Estado(props: { marca: MarcaPortal; factura: Factura; base: string; email?: string; clave: string }) {
  const { marca, factura: f, base } = props;
  if (f.status === 'pendiente') {
    return (
      <Portal title="Generando tu factura" marca={marca} refrescar={REFRESCO_S}>
        <div class="card" id="estado" data-status="pendiente">
          <h2>Estamos timbrando tu factura</h2>
          <p>Esto tarda unos segundos; la página se actualiza sola.</p>
          <a class="boton secundario" href={base}>
            Actualizar
          </a>
        </div>
      </Portal>
    );
  }
  if (f.status === 'timbrada' || f.status === 'cancelacion_pendiente' || f.status === 'cancelacion_rechazada') {
    return (
      <Portal title="Factura lista" marca={marca}>
        <div class="card" id="estado" data-status="timbrada">
          <div class="aviso bien">Tu factura quedó timbrada ante el SAT.</div>
          <p>
            Folio {f.serie}
            {f.folio} · UUID <code>{f.uuid}</code>
          </p>
          {props.email ? <p id="envio">Te enviamos el CFDI a {props.email}.</p> : null}
          <div class="acciones">
            <a class="boton" id="descargar-pdf" href={`${base}/pdf`}>
              Descargar PDF
            </a>
            <a class="boton secundario" id="descargar-xml" href={`${base}/xml`}>
              Descargar XML
            </a>
          </div>
        </div>
      </Portal>
    );
  }
  const errores = f.errores ?? [];
  return (
    <Portal title="No se pudo timbrar" marca={marca}>
      <div class="card" id="estado" data-status={f.status}>
        <div class="aviso mal">
          {f.status === 'cancelada' ? 'Esta factura fue cancelada.' : 'El SAT no aceptó la factura con estos datos. Tu ticket sigue disponible: corrige tus datos y vuelve a intentarlo.'}
        </div>
        {errores.length ? (
          <ul id="rechazo">
            {errores.map((e) => (
              <li>{explicarRechazo(e)}</li>
            ))}
          </ul>
        ) : null}
        {f.status === 'cancelada' ? null : (
          <a class="boton" href={`/autofactura/${marca.slug}?clave=${encodeURIComponent(props.clave)}`}>
            Corregir mis datos
          </a>
        )}
      </div>
    </Portal>
  );
}

// A PAC's refusals of what only the SAT's registry knows: the person can compare with their Constancia.
const CONSTANCIA: Record<string, string> = {
  CFDI40145: 'El nombre o razón social no coincide con el que el SAT tiene para ese RFC. Escríbelo exactamente como aparece en tu Constancia de Situación Fiscal.',
  CFDI40147: 'El código postal no coincide con el domicilio fiscal que el SAT tiene para ese RFC. Usa el de tu Constancia de Situación Fiscal.',
  CFDI40144: 'El RFC no está en la lista del SAT de contribuyentes que pueden recibir facturas. Revisa que esté bien escrito.',
};

function explicarRechazo(e: { code: string; message: string }): string {
  return CONSTANCIA[e.code] ?? `${e.message} (${e.code})`;
}
