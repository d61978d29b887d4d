import { and, count, eq, gte } from 'drizzle-orm';
import type { Context } from 'hono';
import { getDb } from '../../src/db/client';
import { clientApplications, FACTURA_STATUSES, facturas, type FacturaStatus, type Mode } from '../../src/db/schema';
import type { AdminEnv } from '../auth';
import { PageHead } from '../components/layout';
import { Badge, FACTURA_STATUS, ModeBadge } from '../components/ui';
import { currentMode, page } from '../render';

// Platform-wide totals per status: an aggregate over every tenant of one mode, never a tenant's rows.
async function conteo(c: Context<AdminEnv>, mode: Mode, since: Date): Promise<Record<FacturaStatus, number>> {
  const rows = await getDb(c.env)
    .select({ status: facturas.status, n: count() })
    .from(facturas)
    .where(and(eq(facturas.mode, mode), gte(facturas.created_at, since.toISOString())))
    .groupBy(facturas.status)
    .all();
  const out = Object.fromEntries(FACTURA_STATUSES.map((s) => [s, 0])) as Record<FacturaStatus, number>;
  for (const r of rows) out[r.status] = r.n;
  return out;
}

const Conteo = ({ title, counts }: { title: string; counts: Record<FacturaStatus, number> }) => {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return (
    <section class="card" aria-label={title}>
      <h2>
        {title} <span class="muted small">· {total} en total</span>
      </h2>
      <div class="stats">
        {FACTURA_STATUSES.map((s) => (
          <div class="stat" data-status={s}>
            <span class="n">{counts[s]}</span>
            <span class="l">
              <Badge tone={FACTURA_STATUS[s].tone}>{FACTURA_STATUS[s].label}</Badge>
            </span>
          </div>
        ))}
      </div>
    </section>
  );
};

export async function dashboard(c: Context<AdminEnv>) {
  const mode = currentMode(c);
  const now = Date.now();
  const [dia, mes, apps] = await Promise.all([
    conteo(c, mode, new Date(now - 24 * 3600_000)),
    conteo(c, mode, new Date(now - 30 * 24 * 3600_000)),
    getDb(c.env).select({ status: clientApplications.status, csd: clientApplications.csd_valido_hasta }).from(clientApplications).all(),
  ]);
  const sinCsd = apps.filter((a) => !a.csd || a.csd < new Date(now).toISOString()).length;
  return page(
    c,
    { title: 'Panel', section: 'panel' },
    <>
      <PageHead
        title={`Hola, ${c.get('session').name}`}
        subtitle={
          <>
            Facturas por estado en modo <ModeBadge mode={mode} />
          </>
        }
      />
      <Conteo title="Últimas 24 horas" counts={dia} />
      <Conteo title="Últimos 30 días" counts={mes} />
      <section class="card">
        <h2>Aplicaciones</h2>
        <div class="stats">
          <div class="stat">
            <span class="n">{apps.length}</span>
            <span class="l">registradas</span>
          </div>
          <div class="stat">
            <span class="n">{apps.filter((a) => a.status === 'active').length}</span>
            <span class="l">activas</span>
          </div>
          <div class="stat">
            <span class="n">{sinCsd}</span>
            <span class="l">sin CSD vigente</span>
          </div>
        </div>
        <p class="mt">
          <a href="/admin/aplicaciones">Ver aplicaciones →</a>
        </p>
      </section>
    </>,
  );
}
