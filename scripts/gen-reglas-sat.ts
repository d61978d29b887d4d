/**
 * Writes docs/reglas-sat.md: every rule of the SAT's matrices de errores (../shared/sat/matrices/*.tsv) with
 * what HexaFac does with it (the tables src/cfdi/reglas-cfdi40.ts and, when present,
 * src/cfdi/comprobantes/pago/reglas-crp20.ts), and HexaFac's own codes (CODIGOS_HFX of src/cfdi/validar.ts,
 * plus a table module's own CODIGOS_HFX if it exports one). Run: `npx tsx scripts/gen-reglas-sat.ts [MATRICES_DIR]`.
 * test/node/reglas-sat.test.ts fails when the committed file differs from this output.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const raiz = path.resolve(import.meta.dirname, '..');
export const DOC = path.join(raiz, 'docs/reglas-sat.md');
const MATRICES_DIR = path.resolve(raiz, '../shared/sat/matrices');

// The tables are read by path (a table that does not exist yet is skipped), not through src/cfdi's index:
// they document the core; the core does not export them.
export const MATRICES = [
  { titulo: 'CFDI 4.0', tsv: 'cfdi40.tsv', modulo: 'src/cfdi/reglas-cfdi40.ts', tabla: 'REGLAS_CFDI40' },
  { titulo: 'Complemento para recepción de pagos 2.0', tsv: 'crp20.tsv', modulo: 'src/cfdi/comprobantes/pago/reglas-crp20.ts', tabla: 'REGLAS_CRP20' },
] as const;
const CODIGOS_BASE = 'src/cfdi/validar.ts';

export interface ReglaSat {
  codigo: string;
  estado: 'aplicada' | 'calculada' | 'pac' | 'no_aplica';
  nota?: string;
  prueba?: string;
}
type CodigosHfx = Record<string, { tipo: 'error' | 'advertencia'; texto: string }>;

export interface Matriz {
  titulo: string;
  tsv: string;
  /** code → the SAT's rule text, in the TSV's order. */
  reglasSat: Map<string, string>;
  tabla: readonly ReglaSat[];
}

const importar = (modulo: string) => import(pathToFileURL(path.join(raiz, modulo)).href) as Promise<Record<string, unknown>>;

/** Code → rule text of a matrix TSV (code, rule, source); a code the TSV repeats keeps its first text. */
export function leerTsv(archivo: string): Map<string, string> {
  const reglas = new Map<string, string>();
  for (const linea of readFileSync(archivo, 'utf8').split('\n')) {
    const [codigo, regla] = linea.split('\t');
    if (codigo?.trim() && regla !== undefined && !reglas.has(codigo.trim())) reglas.set(codigo.trim(), regla.trim());
  }
  return reglas;
}

/** The matrices whose table exists, each with its TSV's rules and HexaFac's table; and every HFX code. */
export async function leerMatrices(dir = MATRICES_DIR): Promise<{ matrices: Matriz[]; codigos: CodigosHfx }> {
  const matrices: Matriz[] = [];
  const codigos: CodigosHfx = { ...((await importar(CODIGOS_BASE)).CODIGOS_HFX as CodigosHfx) };
  for (const m of MATRICES) {
    if (!existsSync(path.join(raiz, m.modulo))) continue;
    const modulo = await importar(m.modulo);
    Object.assign(codigos, modulo.CODIGOS_HFX as CodigosHfx | undefined);
    matrices.push({ titulo: m.titulo, tsv: m.tsv, reglasSat: leerTsv(path.join(dir, m.tsv)), tabla: modulo[m.tabla] as readonly ReglaSat[] });
  }
  return { matrices, codigos };
}

const ESTADOS: Record<ReglaSat['estado'], string> = {
  aplicada: 'HexaFac la valida antes de timbrar, con el código del SAT; la prueba lo demuestra.',
  calculada: 'HexaFac calcula el valor, así que no puede estar mal; la nota dice qué función.',
  pac: 'Necesita datos que HexaFac no tiene (l_RFC, LCO, Confirmación, columnas completas de un catálogo): la valida el PAC.',
  no_aplica: 'Un nodo o atributo que HexaFac no ofrece.',
};

const celda = (s: string | undefined) => (s ?? '').replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();

/** docs/reglas-sat.md as it must read. */
export async function generarReglasSat(dir = MATRICES_DIR): Promise<string> {
  const { matrices, codigos } = await leerMatrices(dir);
  const lineas = [
    '# Reglas del SAT en HexaFac',
    '',
    '<!-- Generado por scripts/gen-reglas-sat.ts: no se edita a mano. -->',
    '',
    'Cada regla de las matrices de errores del SAT y lo que HexaFac hace con ella:',
    '',
    ...Object.entries(ESTADOS).map(([estado, texto]) => `- **${estado}**: ${texto}`),
    '',
  ];
  for (const m of matrices) {
    const porCodigo = new Map(m.tabla.map((r) => [r.codigo, r]));
    const cuenta = (e: ReglaSat['estado']) => m.tabla.filter((r) => r.estado === e).length;
    lineas.push(
      `## ${m.titulo} (\`${m.tsv}\`)`,
      '',
      `${m.reglasSat.size} reglas: ${(Object.keys(ESTADOS) as ReglaSat['estado'][]).map((e) => `${cuenta(e)} ${e}`).join(', ')}.`,
      '',
      '| Código | Regla del SAT | Estado | Nota / prueba |',
      '|---|---|---|---|',
      ...[...m.reglasSat].map(([codigo, regla]) => {
        const r = porCodigo.get(codigo);
        const detalle = [r?.nota, r?.prueba && `prueba: \`${r.prueba}\``].filter(Boolean).join(' — ');
        return `| ${codigo} | ${celda(regla)} | ${r?.estado ?? '(sin clasificar)'} | ${celda(detalle)} |`;
      }),
      '',
    );
  }
  lineas.push(
    '## Códigos de HexaFac',
    '',
    'Para lo que ninguna regla de las matrices nombra. Un error impide timbrar; una advertencia acompaña al comprobante',
    '(`advertencias` de la respuesta) y nunca lo impide. Los problemas de un RFC llevan además `rfc_<regla>`',
    '(src/cfdi/rfc.ts), los mismos que al registrar un cliente.',
    '',
    '| Código | Tipo | Significado |',
    '|---|---|---|',
    ...Object.entries(codigos).map(([codigo, c]) => `| ${codigo} | ${c.tipo} | ${celda(c.texto)} |`),
    '',
  );
  return lineas.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  writeFileSync(DOC, await generarReglasSat(process.argv[2] ? path.resolve(process.argv[2]) : undefined));
  console.log(`wrote ${path.relative(process.cwd(), DOC)}`);
}
