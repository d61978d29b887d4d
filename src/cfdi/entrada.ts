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

/** Free text as the SAT allows it: trimmed, no pipe (the cadena original's separator). */
export const texto = (max: number) => z.string().trim().min(1).max(max).regex(/^[^|]*$/, 'No debe contener el carácter |');

/** A catalog key: its value is checked against the catalog by the kind's rules, not here. */
export const clave = () => z.string().trim().min(1);

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
