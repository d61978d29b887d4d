import type { Context } from 'hono';
import { type ConteoPorEstado, estadoPacs, resumenTablero } from '../../src/services/tablero';
import type { AdminEnv } from '../auth';
import { PageHead } from '../components/layout';
import { Badge, ESTADOS_FACTURA, FACTURA_STATUS, ModeBadge } from '../components/ui';
import { currentMode, page } from '../render';

const Conteo = ({ title, counts }: { title: string; counts: ConteoPorEstado }) => {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return (
    <section class="card" aria-label={title}>
      <h2>
        {title} <span class="muted small">· {total} en total</span>
      </h2>
      <div class="stats">
        {ESTADOS_FACTURA.map((s) => (
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

const TONO_CIRCUITO = { cerrado: 'ok', semiabierto: 'warn', abierto: 'bad' } as const;
const TEXTO_CIRCUITO = { cerrado: 'En servicio', semiabierto: 'Probando', abierto: 'Fuera de servicio' } as const;

/** Live mode's PACs: what failover does right now, and what waits for a PAC (src/pac/failover.ts). */
const Pacs = ({ pacs, esperando, inciertos }: Awaited<ReturnType<typeof estadoPacs>>) => (
  <section class="card" aria-label="PACs">
    <h2>PACs</h2>
    {pacs.length ? (
      <ol>
        {pacs.map((p) => (
          <li>
            <span class="mono">{p.nombre}</span> <Badge tone={TONO_CIRCUITO[p.circuito]}>{TEXTO_CIRCUITO[p.circuito]}</Badge>
            {p.fallos ? <span class="muted small"> · {p.fallos} fallas seguidas{p.ultimoFallo ? `: ${p.ultimoFallo}` : ''}</span> : null}
          </li>
        ))}
      </ol>
    ) : (
      <p class="alert alert-error">No hay un PAC configurado para el modo live: las facturas live terminan en error.</p>
    )}
    <p class="mt">
      {esperando} comprobantes esperan un PAC{inciertos ? `, ${inciertos} sin confirmar si se timbraron` : ''}; el motivo de cada uno
      (p. ej. timbres agotados, manifiesto sin firmar) está en su detalle.
    </p>
  </section>
);

export async function dashboard(c: Context<AdminEnv>) {
  const mode = currentMode(c);
  const [{ dia, mes, aplicaciones }, pacs] = await Promise.all([resumenTablero(c.var.deps, mode), mode === 'live' ? estadoPacs(c.var.deps) : null]);
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
      {pacs ? <Pacs {...pacs} /> : null}
      <Conteo title="Últimas 24 horas" counts={dia} />
      <Conteo title="Últimos 30 días" counts={mes} />
      <section class="card">
        <h2>Aplicaciones</h2>
        <div class="stats">
          <div class="stat">
            <span class="n">{aplicaciones.registradas}</span>
            <span class="l">registradas</span>
          </div>
          <div class="stat">
            <span class="n">{aplicaciones.activas}</span>
            <span class="l">activas</span>
          </div>
          <div class="stat">
            <span class="n">{aplicaciones.sinCsdVigente}</span>
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
