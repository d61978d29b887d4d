// The guides' executable steps (docs/guias/*.md). Plain data, importable from the Workers pool and from Node tests.
//
// A step is a fenced block ```http [nombre]: the request line, headers, a blank line, an optional body, and a line
// `→ <status>` (optionally `cuando <campo> = <valor>`: repeat the request until the answer says so), then optional
// expectations: `Encabezado: valor` for a response header, `campo.sub = valor` for the JSON answer. A named step
// keeps its JSON answer for the later ones: `{{nombre.campo}}`.

export interface Expectativa {
  campo: string;
  valor: string;
}

export interface Paso {
  linea: number;
  nombre?: string;
  metodo: string;
  ruta: string;
  headers: Record<string, string>;
  cuerpo?: string;
  status: number;
  cuando?: Expectativa;
  encabezados: Record<string, string>;
  campos: Expectativa[];
}

const BLOQUE = /^```http(?:[ \t]+(\w+))?[ \t]*\n([\s\S]*?)^```[ \t]*$/gm;
const ESPERADO = /^→\s*(\d{3})(?:\s+cuando\s+(.+?)\s*=\s*(.+))?$/;
const CAMPO = /^([\w.[\]]+)\s*=\s*(.+)$/;
const ENCABEZADO = /^([A-Za-z][\w-]*):\s*(.*)$/;

const expectativa = (m: RegExpMatchArray): Expectativa => ({ campo: m[1]!.trim(), valor: m[2]!.trim() });

export function pasosDe(markdown: string): Paso[] {
  return [...markdown.matchAll(BLOQUE)].map((b) => {
    const linea = markdown.slice(0, b.index).split('\n').length;
    const lineas = b[2]!.replace(/\n$/, '').split('\n');
    const fin = lineas.findIndex((l) => ESPERADO.test(l));
    if (fin < 0) throw new Error(`línea ${linea}: el bloque no dice qué status espera (→ 200)`);
    const [metodo, ruta] = lineas[0]!.trim().split(/\s+/);
    if (!metodo || !ruta) throw new Error(`línea ${linea}: falta «MÉTODO /ruta»`);
    const headers: Record<string, string> = {};
    let i = 1;
    for (; i < fin && lineas[i]!.trim(); i++) {
      const h = lineas[i]!.match(ENCABEZADO);
      if (!h) throw new Error(`línea ${linea + 1 + i}: no es un encabezado: ${lineas[i]}`);
      headers[h[1]!] = h[2]!;
    }
    const cuerpo = lineas.slice(i, fin).join('\n').trim();
    const e = lineas[fin]!.match(ESPERADO)!;
    const paso: Paso = { linea, metodo, ruta, headers, status: Number(e[1]), encabezados: {}, campos: [] };
    if (b[1]) paso.nombre = b[1];
    if (cuerpo) paso.cuerpo = cuerpo;
    if (e[2]) paso.cuando = { campo: e[2], valor: e[3]! };
    for (const l of lineas.slice(fin + 1).filter((x) => x.trim())) {
      const c = l.match(CAMPO) ?? undefined;
      const h = c ? undefined : l.match(ENCABEZADO);
      if (c) paso.campos.push(expectativa(c));
      else if (h) paso.encabezados[h[1]!] = h[2]!.trim();
      else throw new Error(`línea ${linea + 1 + fin}: expectativa ilegible: ${l}`);
    }
    return paso;
  });
}

/** `a.b[0].c` of a JSON value. */
export function valorEn(json: unknown, campo: string): unknown {
  return campo
    .split(/\.|\[(\d+)\]/)
    .filter((p) => p !== undefined && p !== '')
    .reduce<unknown>((v, p) => (v == null ? undefined : (v as Record<string, unknown>)[p]), json);
}

/** Replaces every `{{nombre.campo}}` with what an earlier answer (or the runner) holds; an unknown one is an error. */
export function interpolar(texto: string, variables: Record<string, unknown>): string {
  return texto.replace(/\{\{\s*([\w.[\]]+)\s*\}\}/g, (_, ref: string) => {
    const v = valorEn(variables, ref);
    if (v === undefined) throw new Error(`{{${ref}}} no está definido en un paso anterior`);
    return typeof v === 'string' ? v : JSON.stringify(v);
  });
}

/** The ```ts blocks of a guide, in order. */
export const codigoTsDe = (markdown: string): string[] => [...markdown.matchAll(/^```ts[ \t]*\n([\s\S]*?)^```[ \t]*$/gm)].map((m) => m[1]!);
