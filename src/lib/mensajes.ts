import { z } from 'zod';
import type { FacturaStatus } from '../db/schema';

// Shape messages in the voice of the fiscal ones (src/cfdi): one short Spanish sentence per issue, with the
// field's example from its documentation (.meta) when the schema has one. Set once, globally, by src/app.ts;
// a message a schema writes itself (texto(), decimal(), patron()) wins over these.

const TIPOS: Record<string, string> = {
  string: 'un texto',
  number: 'un número',
  int: 'un número entero',
  boolean: 'true o false',
  array: 'una lista',
  object: 'un objeto',
  null: 'null',
  date: 'una fecha',
};

/** How a missing field reads; zodDetails (src/lib/errors.ts) knows a missing field by it, as zod drops the input from issues. */
export const CAMPO_OBLIGATORIO = 'Campo obligatorio.';

const tipo = (t: string) => TIPOS[t] ?? t;

type Meta = { description?: string; example?: unknown; pattern?: string };
const metaDe = (inst: unknown): Meta => (inst ? ((z.globalRegistry.get(inst as z.ZodType) as Meta | undefined) ?? {}) : {});

/** `, p. ej. "42501"` when the schema documents a one-value example. */
function ejemplo(m: Meta): string {
  const e = m.example;
  return typeof e === 'string' || typeof e === 'number' || typeof e === 'boolean' ? `, p. ej. ${JSON.stringify(e)}` : '';
}

/** The SAT catalog the field's description names (c_RegimenFiscal…), if any. */
const catalogo = (m: Meta) => /\bc_[A-Za-z]+/.exec(m.description ?? '')?.[0];

const FORMATOS: Record<string, string> = {
  email: 'un correo electrónico válido',
  url: 'una URL válida, p. ej. "https://ejemplo.com/webhooks"',
  uuid: 'un UUID, p. ej. "0190a0a0-0000-7000-8000-000000000000"',
  date: 'una fecha AAAA-MM-DD, p. ej. "2026-11-30"',
  datetime: 'una fecha y hora ISO 8601, p. ej. "2026-11-30T12:00:00"',
};

/** A string|number union in this API is a decimal (src/cfdi/entrada.ts decimal()). */
const esDecimal = (tipos: string[]) => tipos.length === 2 && tipos.includes('string') && tipos.includes('number');

function unionFallida(iss: z.core.$ZodRawIssue<z.core.$ZodIssueInvalidUnion>, m: Meta): string {
  // Every option refused the value's type: name what it could have been.
  const tipos = iss.errors.map((e) => e.find((i) => i.code === 'invalid_type')?.expected);
  if (tipos.every((t): t is string => t !== undefined)) {
    if (esDecimal(tipos)) return `Debe ser un número decimal, en texto o número${ejemplo(m) || ', p. ej. "2" o "1.5"'}.`;
    return `Debe ser ${[...new Set(tipos)].map(tipo).join(' o ')}${ejemplo(m)}.`;
  }
  return `No corresponde a ninguna de las formas admitidas${ejemplo(m)}.`;
}

function limite(iss: z.core.$ZodRawIssue<z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig>): string {
  const n = Number(iss.code === 'too_small' ? iss.minimum : iss.maximum);
  const inclusivo = iss.inclusive !== false;
  switch (iss.origin) {
    case 'string':
      if (iss.code === 'too_small') return n <= 1 ? 'No puede estar vacío.' : `Debe tener al menos ${n} caracteres.`;
      return `Admite hasta ${n} caracteres.`;
    case 'array':
    case 'set':
      if (iss.code === 'too_small') return n <= 1 ? 'Debe tener al menos un elemento.' : `Debe tener al menos ${n} elementos.`;
      return `Admite hasta ${n} elementos.`;
    default:
      if (iss.code === 'too_small') return inclusivo ? `Debe ser mayor o igual que ${n}.` : `Debe ser mayor que ${n}.`;
      return inclusivo ? `Debe ser menor o igual que ${n}.` : `Debe ser menor que ${n}.`;
  }
}

/** zod's error map for every issue no schema words itself. */
export function mensajeDeForma(iss: z.core.$ZodRawIssue): string | undefined {
  const m = metaDe(iss.inst);
  switch (iss.code) {
    case 'invalid_type':
      if (iss.input === undefined) return CAMPO_OBLIGATORIO;
      return `Debe ser ${tipo(iss.expected)}${ejemplo(m)}.`;
    case 'invalid_union':
      return unionFallida(iss, m);
    case 'invalid_value': {
      const valores = iss.values.map((v) => String(v)).join(', ');
      const cat = catalogo(m);
      if (iss.values.length === 1) return `Debe ser ${valores}.`;
      return cat ? `Debe ser una clave de ${cat}: ${valores}.` : `Debe ser uno de: ${valores}.`;
    }
    case 'too_small':
    case 'too_big':
      return limite(iss);
    case 'invalid_format':
      if (iss.format === 'regex') return `No tiene el formato esperado${ejemplo(m)}.`;
      return `Debe ser ${FORMATOS[iss.format] ?? `con formato ${iss.format}`}.`;
    case 'not_multiple_of':
      return `Debe ser múltiplo de ${String(iss.divisor)}.`;
    case 'unrecognized_keys':
      return iss.keys.length === 1 ? `El campo ${iss.keys[0]} no existe en esta API.` : `Los campos ${iss.keys.join(', ')} no existen en esta API.`;
    case 'invalid_key':
      return 'Tiene una clave inválida.';
    case 'invalid_element':
      return 'Tiene un elemento inválido.';
    default:
      return 'Valor inválido.';
  }
}

// A status is the API's value, agreed with "la factura"; a message about any comprobante agrees with it.
const ESTADO_DEL_COMPROBANTE: Record<FacturaStatus, string> = {
  borrador: 'en borrador',
  pendiente: 'pendiente de timbrar',
  timbrada: 'timbrado',
  rechazada: 'rechazado',
  error: 'en error',
  cancelacion_pendiente: 'en cancelación',
  cancelada: 'cancelado',
  cancelacion_rechazada: 'timbrado (su cancelación fue rechazada)',
};

/** "El comprobante está timbrado", for the messages that name a comprobante's status. */
export const elComprobanteEsta = (s: FacturaStatus) => `El comprobante está ${ESTADO_DEL_COMPROBANTE[s]}`;
