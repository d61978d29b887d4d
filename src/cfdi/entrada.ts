/**
 * The building blocks of every kind's JSON input (snake_case, as the API takes it): shapes only, no
 * OpenAPI text (the routes describe the fields), and the reading of an input against its schema.
 * Every object is strict (`objeto`): a key the API does not have is refused, never dropped.
 */
import { z } from 'zod';
import type { Comprobante } from './comprobante';
import type { ValidationIssue } from './validar';

/** A shape problem's code when the SAT's matrix states the pattern itself (e.g. TipoCambio, CFDI40117). */
const codigoSat = (codigo: string | undefined) => (codigo ? { params: { codigo } } : {});

/**
 * An unsigned decimal with up to `decimales` decimals: a string like "1234.50" or a JSON number; parsed to
 * an exact decimal. `codigo`: the SAT's code when its matrix states this pattern.
 */
export function decimal(decimales: number, codigo?: string) {
  const re = new RegExp(`^\\d{1,18}(\\.\\d{1,${decimales}})?$`);
  const error = { message: `Debe ser un decimal sin signo con hasta 18 enteros y ${decimales} decimales`, ...codigoSat(codigo) };
  const conPatron = (s: string | number, ctx: z.RefinementCtx) => {
    if (!re.test(String(s))) ctx.addIssue({ code: 'custom', ...error });
  };
  // The pattern as the schema documents it (a refinement has no JSON Schema form).
  return z.union([z.string().trim().superRefine(conPatron).meta({ pattern: re.source }), z.number().nonnegative().superRefine(conPatron)]);
}

/** An object of the API: strict, so that a misspelt or unsupported key (confirmacion, cuenta_predial) is refused. */
export const objeto = <S extends z.ZodRawShape>(shape: S) => z.strictObject(shape);

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
export const ReceptorEntradaSchema = objeto({
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

/** An input as far as it parsed: every field that failed its shape is absent, at any depth. */
export type Parcial<T> = T extends readonly (infer U)[] ? Parcial<U>[] : T extends object ? { [K in keyof T]?: Parcial<T[K]> } : T;

const valorEn = (input: unknown, path: readonly PropertyKey[]): unknown =>
  path.reduce<unknown>((v, k) => (typeof v === 'object' && v !== null ? (v as Record<PropertyKey, unknown>)[k] : undefined), input);

/** Each zod issue as the API's error detail: a key the shape lacks, a missing field, or a malformed one. */
function problemasDeForma(issues: readonly z.core.$ZodIssue[], input: unknown): ValidationIssue[] {
  return issues.flatMap((i): ValidationIssue[] => {
    const ruta = rutaJson(i.path);
    if (i.code === 'unrecognized_keys') {
      return i.keys.map((k) => ({ path: rutaJson([...i.path, k]), message: `El campo ${k} no existe en esta API.`, code: 'HFX_CAMPO_DESCONOCIDO' }));
    }
    if (i.code === 'invalid_type' && valorEn(input, i.path) === undefined) return [{ path: ruta, message: 'Campo obligatorio.', code: 'HFX_CAMPO_REQUERIDO' }];
    const codigo = i.code === 'custom' ? (i.params as { codigo?: string } | undefined)?.codigo : undefined;
    return [{ path: ruta, message: i.message, code: codigo ?? 'HFX_FORMATO' }];
  });
}

const FALLO = Symbol('fallo');

/**
 * What of `valor` parses against `schema`, walking objects and arrays: a field that fails is left out
 * (its object stays, so the rules of its other fields can run); an array with an element that is not
 * even an object fails whole, so that indices keep naming the input's elements.
 */
function rescatar(schema: z.ZodType, valor: unknown): unknown {
  const def = schema.def as z.core.$ZodTypeDef & { innerType?: z.ZodType; shape?: Record<string, z.ZodType>; element?: z.ZodType };
  if ((def.type === 'optional' || def.type === 'default') && valor !== undefined) return rescatar(def.innerType!, valor);
  if (def.type === 'object') {
    if (typeof valor !== 'object' || valor === null || Array.isArray(valor)) return FALLO;
    const campos = Object.entries(def.shape!).map(([k, s]) => [k, rescatar(s, (valor as Record<string, unknown>)[k])] as const);
    return Object.fromEntries(campos.filter(([, v]) => v !== FALLO && v !== undefined));
  }
  if (def.type === 'array') {
    if (!Array.isArray(valor)) return FALLO;
    const elementos = valor.map((v) => rescatar(def.element!, v));
    return elementos.includes(FALLO) ? FALLO : elementos;
  }
  const r = schema.safeParse(valor);
  return r.success ? r.data : FALLO;
}

export type Lectura<T> = { ok: true; datos: T } | { ok: false; errors: ValidationIssue[]; parcial: Parcial<T> };

/**
 * The input read against its schema: the data with defaults applied, or every shape problem (each with its
 * code) and the input as far as it parsed, so that the kind's rules still run over the fields that are
 * well formed and one answer reports everything. `sinForma(errors)` drops what the rules then say about a
 * field that already has a shape problem.
 */
export function leerEntrada<T extends z.ZodType>(schema: T, input: unknown): Lectura<z.output<T>> {
  const r = schema.safeParse(input);
  if (r.success) return { ok: true, datos: r.data };
  const parcial = rescatar(schema, input);
  return { ok: false, errors: problemasDeForma(r.error.issues, input), parcial: (parcial === FALLO ? {} : parcial) as Parcial<z.output<T>> };
}

/** The rules' problems that are not about a field (or inside a field) that failed its shape. */
export function sinForma(forma: readonly ValidationIssue[], reglas: readonly ValidationIssue[]): ValidationIssue[] {
  const dentro = (ruta: string, de: string) => ruta === de || ruta.startsWith(`${de}.`) || ruta.startsWith(`${de}[`);
  return reglas.filter((r) => !forma.some((f) => dentro(r.path, f.path)));
}
