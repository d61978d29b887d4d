/**
 * Generates src/cfdi/catalogs/sat.generated.ts from the SAT catalogs as SQLite SQL
 * (phpcfdi/resources-sat-catalogs). Run: `npx tsx scripts/gen-catalogs.ts [DATA_DIR]`
 * (default ../shared/sat/catalogos/data). The output is committed, so neither tests nor the
 * Worker read the SQL at run time.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

type Cell = string | number;

/** Parses the `INSERT INTO t VALUES(...)` rows of one SQLite dump: quoted strings ('' escapes) and integers. */
export function parseInserts(sql: string): Cell[][] {
  const rows: Cell[][] = [];
  for (const line of sql.split('\n')) {
    const m = /^INSERT INTO \S+ VALUES\((.*)\);\s*$/.exec(line);
    if (!m) continue;
    const body = m[1];
    const row: Cell[] = [];
    let i = 0;
    while (i < body.length) {
      if (body[i] === "'") {
        let s = '';
        i++;
        for (;;) {
          if (body[i] === "'" && body[i + 1] === "'") { s += "'"; i += 2; }
          else if (body[i] === "'") { i++; break; }
          else { s += body[i++]; }
        }
        row.push(s);
      } else {
        const end = body.indexOf(',', i);
        const raw = body.slice(i, end === -1 ? body.length : end).trim();
        if (!/^-?\d+$/.test(raw)) throw new Error(`unexpected SQL value ${raw}`);
        row.push(Number(raw));
        i = end === -1 ? body.length : end;
      }
      if (body[i] === ',') i++;
    }
    rows.push(row);
  }
  return rows;
}

const dataDir = process.argv[2] ?? path.resolve(import.meta.dirname, '../../shared/sat/catalogos/data');
const read = (name: string) => parseInserts(readFileSync(path.join(dataDir, `${name}.sql`), 'utf8'));
const flag = (c: Cell) => c === 1;
const str = (c: Cell) => String(c);
/** Vigencia as ISO dates; '' (open) becomes undefined so it is omitted from the output. */
const vig = (desde: Cell, hasta: Cell) => ({ desde: str(desde) || undefined, hasta: str(hasta) || undefined });

const catalogs: Record<string, unknown> = {
  formasPago: read('cfdi_40_formas_pago').map((r) => ({
    id: str(r[0]), texto: str(r[1]), bancarizado: flag(r[2]), vigencia: vig(r[12], r[13]),
  })),
  metodosPago: read('cfdi_40_metodos_pago').map((r) => ({ id: str(r[0]), texto: str(r[1]), vigencia: vig(r[2], r[3]) })),
  usosCfdi: read('cfdi_40_usos_cfdi').map((r) => ({
    id: str(r[0]), texto: str(r[1]), aplicaFisica: flag(r[2]), aplicaMoral: flag(r[3]), vigencia: vig(r[4], r[5]),
    regimenesFiscalesReceptores: str(r[6]).split(',').map((s) => s.trim()).filter(Boolean),
  })),
  regimenesFiscales: read('cfdi_40_regimenes_fiscales').map((r) => ({
    id: str(r[0]), texto: str(r[1]), aplicaFisica: flag(r[2]), aplicaMoral: flag(r[3]), vigencia: vig(r[4], r[5]),
  })),
  monedas: read('cfdi_40_monedas').map((r) => ({
    id: str(r[0]), texto: str(r[1]), decimales: Number(r[2]), porcentajeVariacion: Number(r[3]), vigencia: vig(r[4], r[5]),
  })),
  impuestos: read('cfdi_40_impuestos').map((r) => ({
    id: str(r[0]), texto: str(r[1]), retencion: flag(r[2]), traslado: flag(r[3]), ambito: str(r[4]), vigencia: vig(r[5], r[6]),
  })),
  reglasTasaCuota: read('cfdi_40_reglas_tasa_cuota').map((r) => ({
    tipo: str(r[0]), minimo: str(r[1]) || undefined, valor: str(r[2]), impuesto: str(r[3]), factor: str(r[4]),
    traslado: flag(r[5]), retencion: flag(r[6]), vigencia: vig(r[7], r[8]),
  })),
  objetosImpuestos: read('cfdi_40_objetos_impuestos').map((r) => ({ id: str(r[0]), texto: str(r[1]), vigencia: vig(r[2], r[3]) })),
  exportaciones: read('cfdi_40_exportaciones').map((r) => ({ id: str(r[0]), texto: str(r[1]), vigencia: vig(r[2], r[3]) })),
  tiposComprobantes: read('cfdi_40_tipos_comprobantes').map((r) => ({
    id: str(r[0]), texto: str(r[1]), valorMaximo: str(r[2]), vigencia: vig(r[3], r[4]),
  })),
  tiposRelaciones: read('cfdi_40_tipos_relaciones').map((r) => ({ id: str(r[0]), texto: str(r[1]), vigencia: vig(r[2], r[3]) })),
  periodicidades: read('cfdi_40_periodicidades').map((r) => ({ id: str(r[0]), texto: str(r[1]), vigencia: vig(r[2], r[3]) })),
  meses: read('cfdi_40_meses').map((r) => ({ id: str(r[0]), texto: str(r[1]), vigencia: vig(r[2], r[3]) })),
  clavesUnidades: read('cfdi_40_claves_unidades').map((r) => ({ id: str(r[0]), texto: str(r[1]), vigencia: vig(r[4], r[5]) })),
  tiposFactores: read('cfdi_40_tipos_factores').map((r) => ({ id: str(r[0]), vigencia: vig(r[1], r[2]) })),
  estados: read('cfdi_40_estados').map((r) => ({ id: str(r[0]), pais: str(r[1]), texto: str(r[2]), vigencia: vig(r[3], r[4]) })),
  paises: read('cfdi_40_paises').map((r) => ({ id: str(r[0]), texto: str(r[1]) })),
};

const types: Record<string, string> = {
  formasPago: 'FormaPago', metodosPago: 'MetodoPago', usosCfdi: 'UsoCfdi', regimenesFiscales: 'RegimenFiscal',
  monedas: 'Moneda', impuestos: 'Impuesto', reglasTasaCuota: 'ReglaTasaCuota', objetosImpuestos: 'ObjetoImp',
  exportaciones: 'Exportacion', tiposComprobantes: 'TipoDeComprobante', tiposRelaciones: 'TipoRelacion',
  periodicidades: 'Periodicidad', meses: 'Mes', clavesUnidades: 'ClaveUnidad', tiposFactores: 'TipoFactor', estados: 'Estado', paises: 'Pais',
};

let out = `// GENERATED by scripts/gen-catalogs.ts from the SAT's CFDI 4.0 catalogs
// (phpcfdi/resources-sat-catalogs). Do not edit by hand: regenerate.
import type * as T from './types';\n`;
for (const [name, rows] of Object.entries(catalogs)) {
  out += `\nexport const ${name}: readonly T.${types[name]}[] = ${JSON.stringify(rows, null, 0)
    .replace(/^\[/, '[\n  ').replace(/\},\{/g, '},\n  {').replace(/\]$/, ',\n]')};\n`;
}
const target = path.resolve(import.meta.dirname, '../src/cfdi/catalogs/sat.generated.ts');
writeFileSync(target, out);
console.log(`wrote ${target}`);
