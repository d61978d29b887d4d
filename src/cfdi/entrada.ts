/**
 * The building blocks of every kind's JSON input (snake_case, as the API takes it): shapes only, no
 * OpenAPI text (the routes describe the fields), and the reading of an input against its schema.
 */
import { z } from 'zod';
import type { Comprobante } from './comprobante';
import type { ValidationIssue } from './validar';

/** An unsigned decimal with up to `decimales` decimals: a string like "1234.50" or a JSON number; parsed to an exact decimal. */
export function decimal(decimales: number) {
  const re = new RegExp(`^\\d{1,18}(\\.\\d{1,${decimales}})?$`);
  const mensaje = `Debe ser un decimal sin signo con hasta 18 enteros y ${decimales} decimales`;
  return z.union([z.string().trim().regex(re, mensaje), z.number().nonnegative().refine((n) => re.test(String(n)), mensaje)]);
}

// XML 1.0's Char production: a control character, U+FFFE/U+FFFF or a lone surrogate cannot be written in
// any XML document, escaped or not, so a PAC refuses the whole CFDI (the XSD's [^|] patterns assume it).
const NO_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
// A serie or folio is one line: it names the files (Content-Disposition) and the PDF's header. Unicode's own
// line breaks (NEL, LS, PS) count too.
const NO_XML_O_SALTO = /[^\u0020-\u0084\u0086-\u2027\u202A-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** Why `s` cannot be text in a CFDI (a character XML cannot carry; a line break where one line is due), or null. */
export function motivoTextoInvalido(s: string, unaLinea = false): string | null {
  const c = (unaLinea ? NO_XML_O_SALTO : NO_XML).exec(s)?.[0];
  if (c === undefined) return null;
  return `Contiene un carácter que no puede ir en un CFDI (U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}).`;
}

const sinCaracteresNoXml = (unaLinea?: boolean) => (s: string, ctx: z.RefinementCtx) => {
  const motivo = motivoTextoInvalido(s, unaLinea);
  if (motivo) ctx.addIssue({ code: 'custom', message: motivo });
};

/**
 * Free text as the SAT's XSD allows it ([^|]{1,max}): trimmed, characters XML can carry, no pipe, and at
 * most `max` characters counted as the XSD counts them (code points, so an emoji is one).
 */
export const texto = (max: number, opts: { unaLinea?: boolean } = {}) =>
  z
    .string()
    .trim()
    .min(1)
    .regex(/^[^|]*$/, 'No debe contener el carácter |')
    .superRefine(sinCaracteresNoXml(opts.unaLinea))
    .refine((s) => [...s].length <= max, `Admite hasta ${max} caracteres.`)
    // What the schema documents (a refinement has no JSON Schema form).
    .meta({ maxLength: max });

/** A catalog key: its value is checked against the catalog by the kind's rules, not here. */
export const clave = () => z.string().trim().min(1).superRefine(sinCaracteresNoXml(true));

export const patron = (re: RegExp, mensaje: string) => z.string().trim().regex(re, mensaje);

export const UUID = /^[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}$/;

/** The receptor of every kind (a kind may narrow uso_cfdi). */
export const ReceptorEntradaSchema = z.object({
  rfc: clave(),
  nombre: texto(300),
  domicilio_fiscal: clave(),
  regimen_fiscal: clave(),
  uso_cfdi: clave(),
  residencia_fiscal: clave().optional(),
  num_reg_id_trib: texto(40).optional(),
});
export type ReceptorEntrada = z.infer<typeof ReceptorEntradaSchema>;

/** The Receptor node from the request's snake_case receptor. */
export function receptorDe(r: ReceptorEntrada): Comprobante['receptor'] {
  return {
    rfc: r.rfc,
    nombre: r.nombre,
    domicilioFiscalReceptor: r.domicilio_fiscal,
    residenciaFiscal: r.residencia_fiscal,
    numRegIdTrib: r.num_reg_id_trib,
    regimenFiscalReceptor: r.regimen_fiscal,
    usoCfdi: r.uso_cfdi,
  };
}

/** "conceptos[0].impuestos.traslados[1].tasa_o_cuota" from a zod issue path. */
export function rutaJson(path: readonly PropertyKey[]): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i ? '.' : ''}${String(k)}`)).join('');
}

/** The input read against its schema: the data with defaults applied, or every shape problem. */
export function leerEntrada<T extends z.ZodType>(schema: T, input: unknown): { ok: true; datos: z.output<T> } | { ok: false; errors: ValidationIssue[] } {
  const r = schema.safeParse(input);
  if (r.success) return { ok: true, datos: r.data };
  return { ok: false, errors: r.error.issues.map((i) => ({ path: rutaJson(i.path), message: i.message })) };
}
