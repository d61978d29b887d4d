import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The layout's rules, checked over the import graph of src/, admin/, autofactura/, scripts/ and test/:
// 1. outside src/cfdi, the fiscal core is imported only through src/cfdi (its index.ts), tests included;
// 2. src/cfdi imports only itself and the pure packages below (no Hono, Drizzle, Workers);
// 3. a route folder src/routes/<a>/ does not import another route folder (files directly under src/routes/ are shared);
// 4. a job in src/jobs/ does not import another job (its own test file imports it);
// 5. nothing under src/ imports admin/ or autofactura/ (the apps mounted beside the API).

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

/** What the fiscal core may import besides itself. Its tests (*.test.ts) may also use vitest and node:*. */
const PAQUETES_DEL_NUCLEO = ['zod', 'decimal.js', 'node-forge', 'pdf-lib', 'qrcode-generator'];

interface Importacion {
  archivo: string;
  especificador: string;
  /** Repository-relative path for a relative specifier; null for a package (bare specifier). */
  destino: string | null;
}

// Static `import … from '…'`, `import type … from`, `export … from`, `export * from`, spanning lines; only what a
// clause can hold between the keyword and `from`, so a comment or a string does not run into the next statement.
const ESTATICA = /^\s*(?:import|export)\b[\w\s{},*$]*?\bfrom\s*(['"])([^'"\n]+)\1/gm;
const EFECTO = /^\s*import\s*(['"])([^'"\n]+)\1/gm;
const DINAMICA = /\bimport\(\s*(['"])([^'"\n]+)\1\s*\)/g;

function importacionesDe(archivo: string, fuente: string): Importacion[] {
  const especificadores = [ESTATICA, EFECTO, DINAMICA].flatMap((re) => [...fuente.matchAll(re)].map((m) => m[2]!));
  return especificadores.map((especificador) => ({
    archivo,
    especificador,
    destino: especificador.startsWith('.') ? path.posix.normalize(path.posix.join(path.posix.dirname(archivo), especificador)) : null,
  }));
}

/** The module a path names, without extension or a trailing /index: src/cfdi/index.ts → src/cfdi. */
const modulo = (p: string) => p.replace(/\.(tsx?|jsx?|mjs)$/, '').replace(/\/index$/, '');
const dentro = (p: string, dir: string) => p === dir || p.startsWith(`${dir}/`);
const paquete = (esp: string) => (esp.startsWith('@') ? esp.split('/').slice(0, 2).join('/') : esp.split('/')[0]!);
const esTest = (archivo: string) => /\.test\.tsx?$/.test(archivo);
const carpetaDeRuta = (p: string) => /^src\/routes\/([^/]+)\//.exec(p)?.[1] ?? null;

type Regla = 'nucleo-por-indice' | 'nucleo-puro' | 'rutas-aparte' | 'jobs-aparte' | 'src-sin-admin';

/** Every import that breaks a rule, as "file imports 'specifier'" (with why, where it helps). */
function violaciones(archivos: Record<string, string>): Record<Regla, string[]> {
  const r: Record<Regla, string[]> = { 'nucleo-por-indice': [], 'nucleo-puro': [], 'rutas-aparte': [], 'jobs-aparte': [], 'src-sin-admin': [] };
  for (const [archivo, fuente] of Object.entries(archivos)) {
    for (const { especificador, destino } of importacionesDe(archivo, fuente)) {
      const linea = `${archivo} imports '${especificador}'`;
      const enNucleo = dentro(archivo, 'src/cfdi');
      // 1
      if (!enNucleo && destino && dentro(destino, 'src/cfdi') && modulo(destino) !== 'src/cfdi') r['nucleo-por-indice'].push(`${linea} (import from src/cfdi)`);
      // 2
      if (enNucleo) {
        if (destino) {
          if (!dentro(destino, 'src/cfdi')) r['nucleo-puro'].push(`${linea} (outside src/cfdi)`);
        } else {
          const p = paquete(especificador);
          const permitido = PAQUETES_DEL_NUCLEO.includes(p) || (esTest(archivo) && (p === 'vitest' || p.startsWith('node:')));
          if (!permitido) r['nucleo-puro'].push(`${linea} (not one of ${PAQUETES_DEL_NUCLEO.join(', ')})`);
        }
      }
      // 3
      const a = carpetaDeRuta(archivo);
      const b = destino && carpetaDeRuta(destino);
      if (a && b && a !== b) r['rutas-aparte'].push(linea);
      // 4
      if (dentro(archivo, 'src/jobs') && destino && dentro(destino, 'src/jobs')) {
        const suPropioJob = esTest(archivo) && modulo(archivo.replace(/\.test(\.tsx?)$/, '$1')) === modulo(destino);
        if (!suPropioJob) r['jobs-aparte'].push(linea);
      }
      // 5
      if (dentro(archivo, 'src') && destino && (dentro(destino, 'admin') || dentro(destino, 'autofactura'))) r['src-sin-admin'].push(linea);
    }
  }
  return r;
}

/** The repository's .ts/.tsx files under src/, admin/, autofactura/, scripts/, test/: no node_modules, fixtures, outputs or *.gen.*. */
function fuentesDelRepositorio(): Record<string, string> {
  const archivos: Record<string, string> = {};
  const recorrer = (dir: string) => {
    for (const e of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) {
        if (e.name !== 'node_modules' && rel !== 'test/fixtures' && rel !== 'test/output') recorrer(rel);
      } else if (/\.tsx?$/.test(e.name) && !/\.gen\./.test(e.name)) {
        archivos[rel] = readFileSync(path.join(root, rel), 'utf8');
      }
    }
  };
  for (const dir of ['src', 'admin', 'autofactura', 'scripts', 'test']) recorrer(dir);
  return archivos;
}

describe('structure: the import graph keeps the layout', () => {
  const v = violaciones(fuentesDelRepositorio());

  it('outside src/cfdi, the fiscal core is imported only through src/cfdi (its index.ts), tests included', () => {
    expect(v['nucleo-por-indice']).toEqual([]);
  });

  it(`src/cfdi imports only itself and ${PAQUETES_DEL_NUCLEO.join(', ')} (no hono, drizzle-orm, @hono/zod-openapi, cloudflare:*)`, () => {
    expect(v['nucleo-puro']).toEqual([]);
  });

  it('a route folder src/routes/<a>/ imports no other route folder (shared files sit directly under src/routes/)', () => {
    expect(v['rutas-aparte']).toEqual([]);
  });

  it('a job in src/jobs/ imports no other job (only its own test file imports it)', () => {
    expect(v['jobs-aparte']).toEqual([]);
  });

  it('nothing under src/ imports admin/ or autofactura/', () => {
    expect(v['src-sin-admin']).toEqual([]);
  });
});

describe('structure: the checker itself', () => {
  it('reports every rule on files that break it, and nothing on files that keep them', () => {
    // Single-line sources on purpose: this file is scanned too, and a line starting with `import` would count.
    const falsos: Record<string, string> = {
      // keep the rules
      'src/lib/bien.ts': "import { emitir } from '../cfdi';\nimport type { Csd } from '../cfdi/index';\nimport { z } from 'zod';",
      'src/cfdi/bien.ts': "import Decimal from 'decimal.js';\nimport forge from 'node-forge';\nimport { sellar } from './sello';\nexport * from './catalogs/monedas';",
      'src/cfdi/bien.test.ts': "import { readFileSync } from 'node:fs';\nimport { it } from 'vitest';\nimport { x } from './bien';",
      'src/routes/facturas/bien.ts': "import { vista } from '../comprobantes.views';\nimport { h } from './facturas.handlers';",
      'src/jobs/barrido.test.ts': "import { barrer } from './barrido';",
      'test/bien.ts': "import { emitir } from '../src/cfdi';\nimport { x } from '../admin/render';",
      // break them
      'test/hondo.ts': "import {\n  cadenaOriginal,\n  type Comprobante,\n} from '../src/cfdi/cadena';",
      'src/services/hondo.ts': "export { sellar } from '../cfdi/sello';\nconst m = await import('../cfdi/pdf');",
      'src/cfdi/impuro.ts':
        "import { Hono } from 'hono';\nimport { eq } from 'drizzle-orm';\nimport type { z } from '@hono/zod-openapi';\nimport { env } from 'cloudflare:workers';\nimport { DOMParser } from '@xmldom/xmldom';\nimport { Mode } from '../lib/mode';",
      'src/cfdi/impuro.test.ts': "import { x } from '../../test/helpers';",
      'src/routes/facturas/cruza.ts': "import { crearNota } from '../notas-credito/notas-credito.handlers';",
      'src/jobs/procesar-factura.ts': "import { barrer } from './barrido';",
      'src/jobs/cancelar-factura.test.ts': "import { procesarFactura } from './procesar-factura';",
      'src/app.ts': "import type { AdminEnv } from '../admin/context';",
      'src/lib/portal.ts': "import { portal } from '../../autofactura';",
    };
    expect(violaciones(falsos)).toEqual({
      'nucleo-por-indice': [
        "test/hondo.ts imports '../src/cfdi/cadena' (import from src/cfdi)",
        "src/services/hondo.ts imports '../cfdi/sello' (import from src/cfdi)",
        "src/services/hondo.ts imports '../cfdi/pdf' (import from src/cfdi)",
      ],
      'nucleo-puro': [
        "src/cfdi/impuro.ts imports 'hono' (not one of zod, decimal.js, node-forge, pdf-lib, qrcode-generator)",
        "src/cfdi/impuro.ts imports 'drizzle-orm' (not one of zod, decimal.js, node-forge, pdf-lib, qrcode-generator)",
        "src/cfdi/impuro.ts imports '@hono/zod-openapi' (not one of zod, decimal.js, node-forge, pdf-lib, qrcode-generator)",
        "src/cfdi/impuro.ts imports 'cloudflare:workers' (not one of zod, decimal.js, node-forge, pdf-lib, qrcode-generator)",
        "src/cfdi/impuro.ts imports '@xmldom/xmldom' (not one of zod, decimal.js, node-forge, pdf-lib, qrcode-generator)",
        "src/cfdi/impuro.ts imports '../lib/mode' (outside src/cfdi)",
        "src/cfdi/impuro.test.ts imports '../../test/helpers' (outside src/cfdi)",
      ],
      'rutas-aparte': ["src/routes/facturas/cruza.ts imports '../notas-credito/notas-credito.handlers'"],
      'jobs-aparte': [
        "src/jobs/procesar-factura.ts imports './barrido'",
        "src/jobs/cancelar-factura.test.ts imports './procesar-factura'",
      ],
      'src-sin-admin': ["src/app.ts imports '../admin/context'", "src/lib/portal.ts imports '../../autofactura'"],
    });
  });
});
