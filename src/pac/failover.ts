import type { Permiso } from './circuito';
import type { OpcionesTimbrado, PacAdapter, PacError, Timbre } from './types';

// Stamping across an application's ordered PACs without ever stamping twice.
//
// The rule that makes it safe: a CFDI whose request to PAC A may have been stamped (an `incierto` answer:
// timeout after sending, cut connection, 5xx) is first looked up at A, and goes to no other PAC until A
// answers for certain that it never stamped it. A PAC that certainly did not take it (`no_timbrado`:
// refused connection, 503, an account state, its breaker open) hands the CFDI to the next PAC at once.
// So at most one PAC ever holds a stamp of these sealed bytes, and each PAC's own duplicate guard
// (same bytes, same referencia) returns that stamp instead of a second one.

/** The breaker's policy (src/pac/circuito.ts): this many failures in a row open it for this long. */
export const FALLOS_PARA_ABRIR = 5;
export const ESPERA_ABIERTO_MS = 30_000;

export interface Circuito {
  permitir(): Promise<Permiso>;
  registrar(exito: boolean, motivo?: string): Promise<void>;
}

export interface PacsDeTimbrado {
  /** The application's PACs, in order. */
  orden: PacAdapter[];
  /**
   * The PAC whose last answer was uncertain: asked first even if no longer in `orden`; `pac` null when the
   * deployment no longer has its credentials (then the CFDI waits: no other PAC may see it).
   */
  incierto: { nombre: string; pac: PacAdapter | null } | null;
  circuito: (pac: string) => Circuito;
}

export type ResultadoFailover =
  | { ok: true; timbre: Timbre; pac: string; recuperado: boolean }
  | { ok: false; tipo: 'rechazo'; pac: string; errores: PacError[] }
  /** Not stamped yet: try again later; `incierto` is the PAC to ask first then (null: any). */
  | { ok: false; tipo: 'espera'; incierto: string | null; errores: PacError[] };

const conPac = (pac: string, errores: PacError[]) => errores.map((e) => ({ code: e.code, message: `${pac}: ${e.message}` }));

export async function timbrarConFailover(p: PacsDeTimbrado, xml: string, opts: OpcionesTimbrado): Promise<ResultadoFailover> {
  if (p.incierto) {
    const { nombre, pac } = p.incierto;
    if (!pac) {
      const message = `${nombre} no confirmó si timbró este CFDI y ya no está configurado; vuelve a configurarlo para consultarlo.`;
      return { ok: false, tipo: 'espera', incierto: nombre, errores: [{ code: 'pac_incierto_no_configurado', message }] };
    }
    const b = await pac.buscarTimbre(xml, opts);
    if (b.estado === 'timbrado') return { ok: true, timbre: b.timbre, pac: pac.nombre, recuperado: true };
    if (b.estado === 'desconocido') {
      return {
        ok: false,
        tipo: 'espera',
        incierto: pac.nombre,
        errores: [
          { code: 'pac_incierto', message: `Sin confirmar si ${pac.nombre} timbró este CFDI; no se enviará a otro PAC hasta saberlo.` },
          ...conPac(pac.nombre, b.errores),
        ],
      };
    }
    // certainly not stamped at the uncertain PAC: the order starts over
  }
  const errores: PacError[] = [];
  for (const pac of p.orden) {
    const circuito = p.circuito(pac.nombre);
    const permiso = await circuito.permitir();
    if (!permiso.permitido) {
      errores.push({ code: 'circuito_abierto', message: `${pac.nombre}: fuera de servicio por fallas recientes; se usó el siguiente PAC.` });
      continue;
    }
    const r = await pac.timbrar(xml, opts);
    // a rejection is the PAC serving: it counts as a success for the breaker
    const sirvio = r.ok || r.tipo === 'rechazo' || (r.tipo === 'no_timbrado' && r.causa === 'cuenta');
    if (!sirvio || !permiso.limpio) await circuito.registrar(sirvio, r.ok ? undefined : r.errores[0]?.message);
    if (r.ok) return { ok: true, timbre: r.timbre, pac: pac.nombre, recuperado: r.recuperado };
    if (r.tipo === 'rechazo') return { ok: false, tipo: 'rechazo', pac: pac.nombre, errores: r.errores };
    if (r.tipo === 'incierto') {
      return {
        ok: false,
        tipo: 'espera',
        incierto: pac.nombre,
        errores: [
          { code: 'pac_incierto', message: `${pac.nombre} no confirmó el timbrado; se le consultará antes de intentar con otro PAC.` },
          ...conPac(pac.nombre, r.errores),
        ],
      };
    }
    errores.push(...conPac(pac.nombre, r.errores));
  }
  if (!p.orden.length) errores.push({ code: 'pac_no_configurado', message: 'No hay un PAC configurado para este modo.' });
  return { ok: false, tipo: 'espera', incierto: null, errores };
}
