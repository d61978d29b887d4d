import { env } from 'cloudflare:workers';

// What a refused request must leave as it found: the row count of every D1 table (found in the schema, so a
// table added later is counted too) for the tenants under test, the folio counters, and the tenants' R2
// objects. A table without a tenant column is counted whole (the applications' own table by id or platform).

export type Instantanea = Record<string, number>;

interface Tabla {
  nombre: string;
  porTenant: boolean;
  porId?: boolean;
  /** Integer columns whose sum changes when a counter advances (hexafac_folios.ultimo). */
  contadores: string[];
}

let tablas: Tabla[] | undefined;

async function descubrir(): Promise<Tabla[]> {
  const { results } = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'd1_%' ORDER BY name",
  ).all<{ name: string }>();
  const out: Tabla[] = [];
  for (const { name } of results) {
    const cols = (await env.DB.prepare(`SELECT name, type FROM pragma_table_info(?)`).bind(name).all<{ name: string; type: string }>()).results;
    out.push({
      nombre: name,
      // The tenants' own table is counted by id: other tests create applications meanwhile.
      porTenant: cols.some((c) => c.name === 'client_application_id'),
      porId: name === 'hexafac_client_applications',
      contadores: name === 'hexafac_folios' ? ['ultimo'] : [],
    });
  }
  return out;
}

const q = (id: string) => `"${id.replace(/"/g, '""')}"`;

export async function instantanea(apps: string[]): Promise<Instantanea> {
  tablas ??= await descubrir();
  const marcas = apps.map(() => '?').join(', ');
  const columnas: string[] = [];
  const params: string[] = [];
  for (const t of tablas) {
    // A platform's id among `apps` counts the applications it owns too (a refused create must add none).
    const donde = t.porTenant ? ` WHERE client_application_id IN (${marcas})` : t.porId ? ` WHERE id IN (${marcas}) OR platform_id IN (${marcas})` : '';
    columnas.push(`(SELECT COUNT(*) FROM ${q(t.nombre)}${donde}) AS ${q(t.nombre)}`);
    if (t.porTenant) params.push(...apps);
    if (t.porId) params.push(...apps, ...apps);
    for (const c of t.contadores) {
      columnas.push(`(SELECT COALESCE(SUM(${q(c)}), 0) FROM ${q(t.nombre)}${donde}) AS ${q(`${t.nombre}.${c}`)}`);
      if (t.porTenant) params.push(...apps);
    }
  }
  const fila = (await env.DB.prepare(`SELECT ${columnas.join(', ')}`).bind(...params).first<Record<string, number>>())!;
  let r2 = 0;
  for (const app of apps) {
    let cursor: string | undefined;
    do {
      const l = await env.CFDI_BUCKET.list({ prefix: `${app}/`, cursor, limit: 1000 });
      r2 += l.objects.length;
      cursor = l.truncated ? l.cursor : undefined;
    } while (cursor);
  }
  return { ...fila, 'r2.objetos': r2 };
}

/** What changed between two snapshots, as `tabla: antes → después`. */
export function diferencias(antes: Instantanea, despues: Instantanea): string[] {
  return Object.keys({ ...antes, ...despues })
    .filter((k) => antes[k] !== despues[k])
    .map((k) => `${k}: ${antes[k]} → ${despues[k]}`);
}
