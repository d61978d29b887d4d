// Fecha of a comprobante: local wall-clock time at LugarExpedicion, without offset, as the SAT writes it.
import { codigoPostal } from './catalogs/grandes';
import type { ValidationIssue } from './validar';

const FECHA_RE = /^(20[1-9][0-9])-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$/;
/** How far back Fecha may be when the CFDI is sealed and sent for stamping. */
export const MAX_ANTIGUEDAD_MS = 72 * 3600 * 1000;

/**
 * IANA time zone of a Mexican código postal: c_CodigoPostal's (per estado and municipio, see
 * catalogs/grandes.ts). For a CP not in the catalog, a guess from its first two digits (the state).
 */
export function zonaHoraria(cp: string): string {
  return codigoPostal(cp)?.zonaHoraria ?? zonaPorPrefijo(cp);
}

function zonaPorPrefijo(cp: string): string {
  const estado = Number(cp.slice(0, 2));
  if (estado === 21 || estado === 22) return 'America/Tijuana'; // Baja California
  if (estado === 23 || (estado >= 80 && estado <= 82) || estado === 63) return 'America/Mazatlan'; // BCS, Sinaloa, Nayarit
  if (estado >= 83 && estado <= 85) return 'America/Hermosillo'; // Sonora
  if (estado >= 31 && estado <= 33) return 'America/Chihuahua';
  if (estado === 77) return 'America/Cancun'; // Quintana Roo
  return 'America/Mexico_City';
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function partesIntl(instante: number, timeZone: string): Record<string, number> {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return Object.fromEntries(f.formatToParts(instante).filter((p) => p.type !== 'literal').map((p) => [p.type, Number(p.value)]));
}

// Intl is slow (tens of µs a call) and sits on the sealing hot path. Mexican zones change offset only
// on whole UTC hours, so the offset of each zone and hour is computed once and reused.
const HORA = 3_600_000;
const desfases = new Map<string, number>();
function desfase(instante: number, timeZone: string): number {
  const hora = Math.floor(instante / HORA) * HORA;
  const clave = `${timeZone}@${hora}`;
  let d = desfases.get(clave);
  if (d === undefined) {
    const p = partesIntl(hora, timeZone);
    d = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - hora;
    if (desfases.size > 10_000) desfases.clear();
    desfases.set(clave, d);
  }
  return d;
}

function partes(instante: Date, timeZone: string): Record<string, number> {
  const local = new Date(instante.getTime() + desfase(instante.getTime(), timeZone));
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
  };
}

// Helpers live at module level, not as closures: the bundlers keep function names (esbuild keepNames,
// wrangler's default), which costs a defineProperty each time a named closure is created on a hot path.
const d2 = (n: number) => String(n).padStart(2, '0');

/** `instante` as wall-clock time in `timeZone`, formatted `YYYY-MM-DDTHH:mm:ss` (no offset, as the SAT wants). */
export function fechaLocal(instante: Date, timeZone: string): string {
  const p = partes(instante, timeZone);
  return `${p.year}-${d2(p.month)}-${d2(p.day)}T${d2(p.hour)}:${d2(p.minute)}:${d2(p.second)}`;
}

/** The instant at which the wall clock in `timeZone` reads `fecha` (`YYYY-MM-DDTHH:mm:ss`). */
export function instanteDeFechaLocal(fecha: string, timeZone: string): Date {
  const comoUtc = Date.parse(`${fecha}Z`);
  // Two passes settle the offset even next to a DST change.
  const primera = comoUtc - desfase(comoUtc, timeZone);
  return new Date(comoUtc - desfase(primera, timeZone));
}

/** Validates an explicit Fecha: pattern (CFDI40101), not in the future, not older than 72 hours. */
export function validarFecha(fecha: string, lugarExpedicion: string, ahora: Date): ValidationIssue[] {
  if (!FECHA_RE.test(fecha) || Number.isNaN(Date.parse(`${fecha}Z`))) {
    return [{ path: 'fecha', code: 'CFDI40101', message: 'La fecha debe tener el formato AAAA-MM-DDThh:mm:ss, en hora local y sin zona horaria.' }];
  }
  const zona = zonaHoraria(lugarExpedicion);
  const instante = instanteDeFechaLocal(fecha, zona).getTime();
  if (instante > ahora.getTime()) {
    // the matrix: Fecha "debe corresponder con la hora local donde se expide el comprobante"
    return [
      { path: 'fecha', code: 'CFDI40101', message: `La fecha no puede ser posterior a la hora actual del lugar de expedición (${fechaLocal(ahora, zona)}, ${zona}).` },
    ];
  }
  if (ahora.getTime() - instante > MAX_ANTIGUEDAD_MS) {
    // the SAT's check before stamping "401 Fecha y hora de generación fuera de rango" (72 h), as PACs report it
    return [{ path: 'fecha', code: '401', message: 'La fecha no puede tener más de 72 horas de antigüedad al momento del timbrado.' }];
  }
  return [];
}

/**
 * The comprobante's Fecha: the given one if valid, else (omitted or invalid, with its problems) `ahora`
 * as local time at LugarExpedicion, so that the other rules can still run on a sensible date.
 */
export function resolverFecha(fecha: string | undefined, lugarExpedicion: string, ahora: Date): { fecha: string; errors: ValidationIssue[] } {
  const errors = fecha === undefined ? [] : validarFecha(fecha, lugarExpedicion, ahora);
  return { fecha: fecha === undefined || errors.length ? fechaLocal(ahora, zonaHoraria(lugarExpedicion)) : fecha, errors };
}
