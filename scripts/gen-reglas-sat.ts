/**
 * Writes docs/reglas-sat.md: every rule of the SAT's matrices de errores (../shared/sat/matrices/*.tsv) with
 * what HexaFac does with it, and HexaFac's own codes (CODIGOS_HFX of src/cfdi/validar.ts, plus a table
 * module's own CODIGOS_HFX if it exports one). CFDI 4.0 and CRP 2.0 have their table in the core
 * (src/cfdi/reglas-cfdi40.ts, src/cfdi/comprobantes/pago/reglas-crp20.ts). Nómina 1.2 and Carta Porte 3.1 have
 * none: what is applied is read from the core's code (every quoted NOMn / CPnnn in src/cfdi, outside tests, is
 * a rule that code checks) with the test that breaks it, and only the rules not applied carry a nota here.
 * Run: `npx tsx scripts/gen-reglas-sat.ts [MATRICES_DIR]`.
 * test/node/reglas-sat.test.ts fails when the committed file differs from this output.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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
const NUCLEO = 'src/cfdi';

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
  /** Only for a matrix read from the code: every code the code checks, with where (even one the TSV lacks). */
  aplicadas?: Map<string, string[]>;
  /** Only for a matrix read from the code: the notas written here, to find one left on a rule the code now checks. */
  notas?: Record<string, Nota>;
}

type Nota = { estado: Exclude<ReglaSat['estado'], 'aplicada'>; nota: string };
const calculada = (nota: string): Nota => ({ estado: 'calculada', nota });
const pac = (nota: string): Nota => ({ estado: 'pac', nota });
const noAplica = (nota: string): Nota => ({ estado: 'no_aplica', nota });
/** The same nota for codes `prefijo`+desde … `prefijo`+hasta. */
const rango = (prefijo: string, desde: number, hasta: number, nota: Nota) =>
  Object.fromEntries(Array.from({ length: hasta - desde + 1 }, (_, i) => [`${prefijo}${desde + i}`, nota]));

const L_RFC = pac('Necesita la lista de RFC inscritos no cancelados (l_RFC) y sus marcas; la valida el PAC.');
const NO_CLASIFICADO = noAplica('No es una regla: el código del SAT para un error no clasificado.');
const SOLO_AUTOTRANSPORTE = noAplica(
  'Regla de otro medio de transporte: HexaFac solo ofrece autotransporte federal (marítimo, aéreo y ferroviario son HFX_TRANSPORTE_NO_SOPORTADO).',
);

/** What HexaFac does with each NOM rule the code does not check (src/cfdi/comprobantes/nomina/). */
const NOTAS_NOM: Record<string, Nota> = {
  NOM1: calculada('prepararNomina escribe Moneda MXN.'),
  NOM2: calculada('prepararNomina escribe TipoDeComprobante N.'),
  NOM3: calculada('prepararNomina escribe Exportacion 01.'),
  NOM4: calculada('prepararNomina no escribe InformacionGlobal.'),
  NOM7: noAplica('HexaFac no ofrece el atributo FacAtrAdquirente.'),
  NOM9: L_RFC,
  NOM10: calculada('NominaEntradaSchema exige receptor.curp siempre (como el XSD), así que existe también con el RFC genérico.'),
  NOM13: calculada('prepararNomina escribe un solo Concepto, sin nodos hijo.'),
  NOM14: calculada('prepararNomina escribe ClaveProdServ 84111505.'),
  NOM15: calculada('prepararNomina no escribe NoIdentificacion.'),
  NOM16: calculada('prepararNomina escribe Cantidad 1.'),
  NOM17: calculada('prepararNomina escribe ClaveUnidad ACT.'),
  NOM18: calculada('prepararNomina no escribe Unidad.'),
  NOM19: calculada('prepararNomina escribe Descripcion "Pago de nómina".'),
  ...rango('NOM', 20, 22, calculada('importesComprobante (nomina/calcular.ts): ValorUnitario = Importe = percepciones + otros pagos; Descuento = deducciones.')),
  NOM23: calculada('prepararNomina escribe ObjetoImp 01.'),
  ...rango('NOM', 24, 29, calculada('prepararNomina no escribe ese nodo en el Concepto.')),
  NOM30: calculada('complementoNomina (nomina/xml.ts) pone Nomina en el Complemento del comprobante, nunca en un ComplementoConcepto.'),
  ...rango('NOM', 36, 40, calculada('calcularNomina (nomina/calcular.ts) suma cada total de sus nodos y lo omite si el nodo no existe.')),
  NOM41: L_RFC,
  NOM45: L_RFC,
  NOM46: L_RFC,
  NOM67: L_RFC,
  ...rango('NOM', 69, 74, calculada('calcularNomina suma TotalSueldos, TotalSeparacionIndemnizacion, TotalJubilacionPensionRetiro, TotalGravado y TotalExento de las percepciones.')),
  NOM77: calculada('calcularNomina escribe TotalSueldos cuando alguna percepción no es de separación ni de jubilación.'),
  NOM91: calculada('calcularNomina suma TotalImpuestosRetenidos de las deducciones 002.'),
  NOM92: calculada('calcularNomina omite TotalImpuestosRetenidos si no hay deducciones 002.'),
  NOM109: NO_CLASIFICADO,
};

/** What HexaFac does with each CP rule the code does not check (src/cfdi/complementos/carta-porte/). */
const NOTAS_CP: Record<string, Nota> = {
  CP101: calculada('El comprobante se escribe siempre con Version 4.0.'),
  CP105: calculada('prepararTraslado (traslado/index.ts) escribe Total 0.'),
  CP108: L_RFC,
  CP112: calculada('complementoCartaPorte (carta-porte/xml.ts) escribe un solo CartaPorte, en el Complemento del comprobante.'),
  CP113: calculada('HexaFac no añade otro complemento junto a la Carta Porte (el TimbreFiscalDigital lo pone el PAC).'),
  CP115: calculada('calcularCartaPorte escribe Version 3.1.'),
  CP125: calculada('calcularCartaPorte escribe TotalDistRec siempre: el único medio es autotransporte.'),
  CP126: calculada('calcularCartaPorte suma TotalDistRec de las DistanciaRecorrida de los destinos.'),
  CP127: noAplica('HexaFac no ofrece RegistroISTMO ni UbicacionPoloOrigen/UbicacionPoloDestino.'),
  CP128: SOLO_AUTOTRANSPORTE,
  CP129: SOLO_AUTOTRANSPORTE,
  ...rango('CP', 136, 140, noAplica('Estaciones y navegación son de transporte marítimo, aéreo o ferroviario; en autotransporte NumEstacion no se admite (CP135).')),
  CP149: calculada('calcularCartaPorte suma PesoBrutoTotal de los PesoEnKg de las mercancías.'),
  CP150: SOLO_AUTOTRANSPORTE,
  CP151: SOLO_AUTOTRANSPORTE,
  CP152: SOLO_AUTOTRANSPORTE,
  CP153: noAplica('Solo hay autotransporte, el único medio en que LogisticaInversaRecoleccionDevolucion puede existir.'),
  CP154: calculada('calcularCartaPorte escribe NumTotalMercancias como el número de mercancías.'),
  CP155: pac('Necesita la columna "Material peligroso" de c_ClaveProdServCP, que el SAT no publica como datos (HexaFac solo comprueba que BienesTransp tenga 8 dígitos); la valida el PAC.'),
  CP167: SOLO_AUTOTRANSPORTE,
  CP181: SOLO_AUTOTRANSPORTE,
  ...rango('CP', 185, 187, SOLO_AUTOTRANSPORTE),
  CP188: SOLO_AUTOTRANSPORTE,
  ...rango('CP', 189, 192, SOLO_AUTOTRANSPORTE),
  CP999: NO_CLASIFICADO,
};

/** The rule's text of a NOM row (número, regla, código, error); undefined for a heading. */
const filaNom = (c: string[]) => (/^NOM\d+$/.test(c[2] ?? '') ? ([c[2]!, `${c[1]} || Error: ${c[3]}`] as const) : undefined);
/** The rule's text of a CP row (número, elemento, atributo, caso, código, error), as [Elemento@Atributo] like CFDI 4.0's. */
const filaCp = (c: string[]) => (/^CP\d+$/.test(c[4] ?? '') ? ([c[4]!, `[${c[1]}@${c[2]}] ${c[3]} || Error: ${c[5]}`] as const) : undefined);

/** The matrices whose applied rules are read from the code; `codigo` matches their codes and nothing else (CP01 is a UsoCFDI). */
export const MATRICES_DEL_CODIGO = [
  { titulo: 'Complemento de Nómina 1.2 (revisión D)', tsv: 'nomina12-revD.tsv', codigo: /NOM\d+/, fila: filaNom, notas: NOTAS_NOM },
  { titulo: 'Complemento Carta Porte 3.1', tsv: 'cartaporte31.tsv', codigo: /CP\d{3}/, fila: filaCp, notas: NOTAS_CP },
] as const;

/** The .ts files under `dir` (relative to the repository), sorted; `pruebas` picks the tests or all the rest. */
function archivos(dir: string, pruebas: boolean): string[] {
  return (readdirSync(path.join(raiz, dir), { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.generated.ts') && e.name.endsWith('.test.ts') === pruebas)
    .map((e) => path.relative(raiz, path.join(e.parentPath, e.name)))
    .sort();
}

/** `codigo` as a whole quoted string, or (`nombre`) as the start of one: a test's name. */
const citado = (codigo: RegExp, nombre: boolean) => new RegExp(`['"\`](${codigo.source}(?!\\d)${nombre ? `[^'"\`\\n]*` : ''})['"\`]`, 'gu');
/** A top-level declaration's name: the function (or table) a line belongs to. */
const DECLARACION = /^(?:export\s+)?(?:async\s+)?(?:function\*?|const|let|class)\s+([\p{L}\d_$]+)/u;

/** Every code the core's code checks (a quoted code outside tests), with where: 'declaración (archivo)'. */
export function aplicadasEnCodigo(codigo: RegExp): Map<string, string[]> {
  const donde = new Map<string, string[]>();
  for (const archivo of archivos(NUCLEO, false)) {
    let declaracion = '';
    for (const linea of readFileSync(path.join(raiz, archivo), 'utf8').split('\n')) {
      declaracion = DECLARACION.exec(linea)?.[1] ?? declaracion;
      for (const [, c] of linea.matchAll(citado(codigo, false))) {
        const lugar = `${declaracion} (${path.relative(NUCLEO, archivo)})`;
        const lugares = donde.get(c!) ?? [];
        if (!lugares.includes(lugar)) donde.set(c!, [...lugares, lugar]);
      }
    }
  }
  return donde;
}

/** The first test of the core naming each code ('<file> > <name>'); a name with words after the code wins over a bare one. */
function pruebasEnCodigo(codigo: RegExp): Map<string, string> {
  const pruebas = new Map<string, string>();
  for (const archivo of archivos(NUCLEO, true)) {
    for (const [, nombre] of readFileSync(path.join(raiz, archivo), 'utf8').matchAll(citado(codigo, true))) {
      const c = codigo.exec(nombre!)![0];
      const previa = pruebas.get(c);
      if (!previa || (previa.endsWith(`> ${c}`) && nombre !== c)) pruebas.set(c, `${archivo} > ${nombre}`);
    }
  }
  return pruebas;
}

const importar = (modulo: string) => import(pathToFileURL(path.join(raiz, modulo)).href) as Promise<Record<string, unknown>>;

/**
 * Code → rule text of a matrix TSV; `fila` reads a row's cells (by default code, rule, source) and gives
 * nothing for a heading. A code the TSV repeats keeps its first text.
 */
export function leerTsv(
  archivo: string,
  fila: (celdas: string[]) => readonly [string, string] | undefined = ([c, r]) => (r === undefined ? undefined : [c!, r]),
): Map<string, string> {
  const reglas = new Map<string, string>();
  for (const linea of readFileSync(archivo, 'utf8').split('\n')) {
    const [codigo, regla] = fila(linea.split('\t').map((c) => c.trim())) ?? [];
    if (codigo && regla !== undefined && !reglas.has(codigo)) reglas.set(codigo, regla);
  }
  return reglas;
}

/** A matrix's table from the code: a checked code is aplicada (where, and its test), any other takes its nota. */
function tablaDelCodigo(m: (typeof MATRICES_DEL_CODIGO)[number], reglasSat: Map<string, string>, aplicadas: Map<string, string[]>): ReglaSat[] {
  const pruebas = pruebasEnCodigo(m.codigo);
  const notas: Record<string, Nota> = m.notas;
  return [...reglasSat.keys()].flatMap((codigo): ReglaSat[] => {
    const donde = aplicadas.get(codigo);
    if (donde) return [{ codigo, estado: 'aplicada', nota: donde.join('; '), prueba: pruebas.get(codigo) }];
    return notas[codigo] ? [{ codigo, ...notas[codigo] }] : [];
  });
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
  for (const m of MATRICES_DEL_CODIGO) {
    const reglasSat = leerTsv(path.join(dir, m.tsv), m.fila);
    const aplicadas = aplicadasEnCodigo(m.codigo);
    matrices.push({ titulo: m.titulo, tsv: m.tsv, reglasSat, tabla: tablaDelCodigo(m, reglasSat, aplicadas), aplicadas, notas: m.notas });
  }
  return { matrices, codigos };
}

const ESTADOS: Record<ReglaSat['estado'], string> = {
  aplicada: 'HexaFac la valida antes de timbrar, con el código del SAT; la prueba lo demuestra.',
  calculada: 'HexaFac calcula el valor, así que no puede estar mal; la nota dice qué función.',
  pac: 'Necesita datos que HexaFac no tiene (l_RFC, LCO, Confirmación, columnas completas de un catálogo): la valida el PAC.',
  no_aplica: 'Un nodo o atributo que HexaFac no ofrece.',
};

const DEL_CODIGO =
  'Esta tabla no se escribe a mano: una regla es **aplicada** porque el núcleo (src/cfdi, fuera de las pruebas) cita su código, ' +
  'y la nota dice dónde (función o tabla, y archivo); la prueba es la primera de src/cfdi que lo nombra. Las demás dicen por qué no.';

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
    const sinPrueba = m.aplicadas ? m.tabla.filter((r) => r.estado === 'aplicada' && !r.prueba).length : 0;
    lineas.push(
      `## ${m.titulo} (\`${m.tsv}\`)`,
      '',
      ...(m.aplicadas ? [DEL_CODIGO, ''] : []),
      `${m.reglasSat.size} reglas: ${(Object.keys(ESTADOS) as ReglaSat['estado'][]).map((e) => `${cuenta(e)} ${e}`).join(', ')}${sinPrueba ? ` (${sinPrueba} aplicadas aún sin prueba propia)` : ''}.`,
      '',
      '| Código | Regla del SAT | Estado | Nota / prueba |',
      '|---|---|---|---|',
      ...[...m.reglasSat].map(([codigo, regla]) => {
        const r = porCodigo.get(codigo);
        const donde = m.aplicadas && r?.estado === 'aplicada' ? `la valida ${r.nota}` : r?.nota;
        const prueba = r?.prueba ? `prueba: \`${r.prueba}\`` : m.aplicadas && r?.estado === 'aplicada' && 'sin prueba propia';
        const detalle = [donde, prueba].filter(Boolean).join(' — ');
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
