// The SAT catalogs as SQLite dumps (phpcfdi/resources-sat-catalogs), read by the catalog generators.
export type Cell = string | number;

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
