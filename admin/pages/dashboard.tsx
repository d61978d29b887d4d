import type { Context } from 'hono';
import { dec } from '../../src/cfdi';
import { listarAplicaciones } from '../../src/services/aplicaciones';
import { type ConteoPorEstado, estadoPacs, type FigurasMes, resumenMes, resumenTablero } from '../../src/services/tablero';
import type { AdminEnv } from '../auth';
import { SelectField } from '../components/form';
import { PageHead } from '../components/layout';
import { Badge, ESTADOS_FACTURA, FACTURA_STATUS, ModeBadge, Tabla } from '../components/ui';
import { currentMode, dinero, page, ZONA_PANEL } from '../render';

const MESES = ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'];
const nombreMes = (mes: string) => `${MESES[Number(mes.slice(5, 7)) - 1]} de ${mes.slice(0, 4)}`;

const ALTO = 120;
const ANCHO_DIA = 20;

/** Facturado and cobrado by day as two bars, drawn on the server (no script); the table below says the same. */
const Grafica = ({ f, titulo }: { f: FigurasMes; titulo: string }) => {
  const maximo = f.porDia.reduce((m, d) => dec(d.facturado).gt(m) ? dec(d.facturado) : dec(d.cobrado).gt(m) ? dec(d.cobrado) : m, dec(0));
  // Only the bar heights are scaled through a float: the amounts shown stay decimal strings.
  const alto = (importe: string) => (maximo.isZero() ? 0 : dec(importe).div(maximo).times(ALTO).toDecimalPlaces(1).toNumber());
  const id = `grafica-${f.moneda}`;
  return (
    <figure class="grafica">
      <svg viewBox={`0 0 ${f.porDia.length * ANCHO_DIA} ${ALTO + 14}`} role="img" aria-labelledby={id}>
        <title id={id}>{titulo}</title>
        {f.porDia.map((d, i) => (
          <g>
            <rect class="barra-facturado" x={i * ANCHO_DIA + 2} y={ALTO - alto(d.facturado)} width={8} height={alto(d.facturado)} />
            <rect class="barra-cobrado" x={i * ANCHO_DIA + 10} y={ALTO - alto(d.cobrado)} width={8} height={alto(d.cobrado)} />
            <text x={i * ANCHO_DIA + 10} y={ALTO + 12} text-anchor="middle">
              {Number(d.dia.slice(8))}
            </text>
          </g>
        ))}
      </svg>
      <figcaption class="small">
        <span class="clave-facturado">■</span> Facturado · <span class="clave-cobrado">■</span> Cobrado
      </figcaption>
      <details>
        <summary>Ver por día como tabla</summary>
        <div class="tablewrap">
          <Tabla columnas={['Día', { titulo: 'Facturado', clase: 'num' }, { titulo: 'Cobrado', clase: 'num' }]}>
            {f.porDia.map((d) => (
              <tr>
                <td>{d.dia}</td>
                <td class="num">{dinero(d.facturado, f.moneda)}</td>
                <td class="num">{dinero(d.cobrado, f.moneda)}</td>
              </tr>
            ))}
          </Tabla>
        </div>
      </details>
    </figure>
  );
};

const Cifra = ({ n, l, clave }: { n: string; l: string; clave: string }) => (
  <div class="stat" data-cifra={clave}>
    <span class="n">{n}</span>
    <span class="l">{l}</span>
  </div>
);

const FigurasSection = ({ f, mes, app }: { f: FigurasMes; mes: string; app: string }) => (
  <section class="card" aria-label={`${app}: ${nombreMes(mes)} en ${f.moneda}`}>
    <h3>{f.moneda}</h3>
    <div class="stats">
      <Cifra clave="facturado" n={dinero(f.facturado, f.moneda)} l="facturado" />
      <Cifra clave="cobrado" n={dinero(f.cobrado, f.moneda)} l="cobrado (complementos de pago)" />
      <Cifra clave="por-cobrar" n={dinero(f.porCobrar, f.moneda)} l="por cobrar (saldos PPD, todos los meses)" />
      <Cifra clave="iva-trasladado" n={dinero(f.ivaTrasladado, f.moneda)} l="IVA trasladado" />
      <Cifra clave="iva-retenido" n={dinero(f.ivaRetenido, f.moneda)} l="IVA retenido" />
    </div>
    <Grafica f={f} titulo={`Facturado y cobrado por día, ${nombreMes(mes)}, ${f.moneda}`} />
  </section>
);

/** One application's month so far in the current mode; the application is picked with a plain GET form. */
async function MesDeAplicacion({ c }: { c: Context<AdminEnv> }) {
  const apps = await listarAplicaciones(c.var.deps);
  const app = apps.find((a) => a.id === c.req.query('app')) ?? apps[0];
  if (!app) return null;
  const { mes, monedas } = await resumenMes(c.var.deps, { applicationId: app.id, mode: currentMode(c) }, app, ZONA_PANEL);
  return (
    <section class="card" aria-labelledby="mes-titulo">
      <h2 id="mes-titulo">
        {app.name}: {nombreMes(mes)} <span class="muted small">· hasta hoy ({ZONA_PANEL})</span>
      </h2>
      <form method="get" action="/admin" class="filters">
        <SelectField name="app" label="Aplicación" options={apps.map((a) => ({ value: a.id, label: a.name }))} value={app.id} />
        <div class="formactions">
          <button type="submit" class="btn btn-secondary">
            Ver
          </button>
        </div>
      </form>
      {monedas.length ? monedas.map((f) => <FigurasSection f={f} mes={mes} app={app.name} />) : <p class="muted">Sin facturas ni cobros este mes.</p>}
    </section>
  );
}

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
      <MesDeAplicacion c={c} />
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
