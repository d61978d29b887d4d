// SQLite constraint errors, recognised in one place. D1 reports them as text in the error message (or in
// its cause), e.g. "UNIQUE constraint failed: hexafac_facturas.client_application_id, hexafac_facturas.mode, …".

export interface ConstraintViolation {
  kind: 'unique' | 'check' | 'foreign_key' | 'not_null';
  /** The table of the first column named (empty when SQLite names none, as for FOREIGN KEY). */
  table: string;
  columns: string[];
}

const RE = /(UNIQUE|CHECK|FOREIGN KEY|NOT NULL) constraint failed(?::\s*([\w.]+(?:,\s*[\w.]+)*))?/i;
const KINDS = { UNIQUE: 'unique', CHECK: 'check', 'FOREIGN KEY': 'foreign_key', 'NOT NULL': 'not_null' } as const;

export function constraintViolation(err: unknown): ConstraintViolation | null {
  const e = err as { message?: unknown; cause?: unknown } | null;
  const text = `${String(e?.message ?? err)} ${String((e?.cause as { message?: unknown })?.message ?? e?.cause ?? '')}`;
  const m = RE.exec(text);
  if (!m) return null;
  const columns = (m[2] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return {
    kind: KINDS[m[1]!.toUpperCase() as keyof typeof KINDS],
    table: columns[0]?.split('.')[0] ?? '',
    columns: columns.map((c) => c.split('.').pop()!),
  };
}
