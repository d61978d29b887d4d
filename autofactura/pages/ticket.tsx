import { dec, formatear } from '../../src/cfdi';
import type { Recibo } from '../../src/services/recibos';
import { REGIMENES, USOS } from '../catalogos';
import { type MarcaPortal, Portal } from './layout';

export const CAMPOS = ['rfc', 'nombre', 'domicilio_fiscal', 'regimen_fiscal', 'uso_cfdi', 'email'] as const;
export type Campo = (typeof CAMPOS)[number];
export type Datos = Record<Campo, string>;
export type Errores = Partial<Record<Campo | 'form', string>>;
export const VACIO: Datos = { rfc: '', nombre: '', domicilio_fiscal: '', regimen_fiscal: '', uso_cfdi: '', email: '' };

const pesos = (importe: string | null | undefined) => (importe ? `$${formatear(dec(importe), 2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}` : '—');

export const ClaveForm = (props: { marca: MarcaPortal; clave?: string }) => (
  <Portal title="Factura tu ticket" marca={props.marca}>
    <form class="card" method="get" action={`/autofactura/${props.marca.slug}`}>
      <h2>Factura tu ticket</h2>
      <label for="clave">Clave de facturación</label>
      <input id="clave" name="clave" value={props.clave ?? ''} required autocomplete="off" autocapitalize="characters" />
      <p class="ayuda">Viene impresa en tu ticket, junto al código QR.</p>
      <button type="submit">Buscar ticket</button>
    </form>
  </Portal>
);

interface Concepto {
  descripcion?: string;
  cantidad?: string;
  valor_unitario?: string;
  importe?: string;
}

function Lineas(props: { recibo: Recibo }) {
  const r = props.recibo;
  const conceptos = (Array.isArray(r.datos.conceptos) ? r.datos.conceptos : []) as Concepto[];
  return (
    <div class="card">
      <h2>Ticket {r.folio}</h2>
      <p class="ayuda">Fecha: {r.fecha.slice(0, 10)} {r.fecha.slice(11, 16)}</p>
      <table>
        <thead>
          <tr>
            <th>Concepto</th>
            <th class="num">Cant.</th>
            <th class="num">Importe</th>
          </tr>
        </thead>
        <tbody>
          {conceptos.map((c) => (
            <tr>
              <td>{c.descripcion}</td>
              <td class="num">{c.cantidad}</td>
              <td class="num">{pesos(c.importe ?? (c.cantidad && c.valor_unitario ? dec(c.cantidad).mul(dec(c.valor_unitario)).toString() : null))}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <td colspan={2}>Subtotal</td>
            <td class="num">{pesos(r.subtotal)}</td>
          </tr>
          {r.descuento ? (
            <tr>
              <td colspan={2}>Descuento</td>
              <td class="num">-{pesos(r.descuento)}</td>
            </tr>
          ) : null}
          {r.total_impuestos_trasladados ? (
            <tr>
              <td colspan={2}>Impuestos trasladados</td>
              <td class="num">{pesos(r.total_impuestos_trasladados)}</td>
            </tr>
          ) : null}
          {r.total_impuestos_retenidos ? (
            <tr>
              <td colspan={2}>Impuestos retenidos</td>
              <td class="num">-{pesos(r.total_impuestos_retenidos)}</td>
            </tr>
          ) : null}
          <tr>
            <th colspan={2}>Total</th>
            <th class="num" id="total">
              {pesos(r.total)} {r.moneda}
            </th>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

function Campo(props: { id: Campo; label: string; errores: Errores; ayuda?: string; children: unknown }) {
  const error = props.errores[props.id];
  return (
    <div>
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.ayuda ? <p class="ayuda">{props.ayuda}</p> : null}
      {error ? (
        <p class="error" id={`${props.id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

const invalido = (e: Errores, id: Campo) => (e[id] ? { 'aria-invalid': 'true', 'aria-describedby': `${id}-error` } : {});

/** The ticket and the customer's fiscal data; each refusal beside its field. */
export function TicketForm(props: { marca: MarcaPortal; recibo: Recibo; csrf: string; datos: Datos; errores: Errores; impedimento?: string }) {
  const { marca, recibo, datos: d, errores: e } = props;
  return (
    <Portal title={`Ticket ${recibo.folio}`} marca={marca}>
      <Lineas recibo={recibo} />
      {props.impedimento ? (
        <div class="aviso mal" id="impedimento">
          {props.impedimento}
        </div>
      ) : (
        <form class="card" method="post" action={`/autofactura/${marca.slug}/facturar`} novalidate>
          <h2>Tus datos fiscales</h2>
          <p class="ayuda">Escríbelos como aparecen en tu Constancia de Situación Fiscal.</p>
          {e.form ? (
            <div class="aviso mal" id="form-error">
              {e.form}
            </div>
          ) : null}
          <input type="hidden" name="_csrf" value={props.csrf} />
          <input type="hidden" name="clave" value={recibo.clave} />
          <Campo id="rfc" label="RFC" errores={e} ayuda="12 caracteres si es empresa (persona moral), 13 si es persona física.">
            <input id="rfc" name="rfc" value={d.rfc} required maxlength={13} autocomplete="off" autocapitalize="characters" {...invalido(e, 'rfc')} />
          </Campo>
          <Campo id="nombre" label="Nombre o razón social" errores={e} ayuda="Sin el régimen de capital (por ejemplo, sin «S.A. de C.V.»).">
            <input id="nombre" name="nombre" value={d.nombre} required maxlength={300} autocomplete="organization" {...invalido(e, 'nombre')} />
          </Campo>
          <Campo id="domicilio_fiscal" label="Código postal de tu domicilio fiscal" errores={e}>
            <input id="domicilio_fiscal" name="domicilio_fiscal" value={d.domicilio_fiscal} required inputmode="numeric" maxlength={5} autocomplete="postal-code" {...invalido(e, 'domicilio_fiscal')} />
          </Campo>
          <Campo id="regimen_fiscal" label="Régimen fiscal" errores={e}>
            <select id="regimen_fiscal" name="regimen_fiscal" required {...invalido(e, 'regimen_fiscal')}>
              <option value="">Elige tu régimen</option>
              {REGIMENES.map((r) => (
                <option value={r.id} selected={d.regimen_fiscal === r.id} data-f={r.fisica ? '1' : '0'} data-m={r.moral ? '1' : '0'}>
                  {r.id} · {r.texto}
                </option>
              ))}
            </select>
          </Campo>
          <Campo id="uso_cfdi" label="Uso del CFDI" errores={e}>
            <select id="uso_cfdi" name="uso_cfdi" required {...invalido(e, 'uso_cfdi')}>
              <option value="">Elige el uso</option>
              {USOS.map((u) => (
                <option value={u.id} selected={d.uso_cfdi === u.id} data-f={u.fisica ? '1' : '0'} data-m={u.moral ? '1' : '0'} data-regimenes={u.regimenes.join(' ')}>
                  {u.id} · {u.texto}
                </option>
              ))}
            </select>
          </Campo>
          <Campo id="email" label="Correo electrónico" errores={e} ayuda="Te enviamos ahí el XML y el PDF.">
            <input id="email" name="email" type="email" value={d.email} maxlength={254} autocomplete="email" {...invalido(e, 'email')} />
          </Campo>
          <button type="submit">Facturar</button>
        </form>
      )}
    </Portal>
  );
}
