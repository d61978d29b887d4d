import type { FC, PropsWithChildren } from 'hono/jsx';
import type { FacturaStatus } from '../../src/db/schema';

type Tone = 'ok' | 'bad' | 'warn' | 'info' | 'neutral';

export const Badge: FC<PropsWithChildren<{ tone: Tone }>> = ({ tone, children }) => <span class={`badge b-${tone}`}>{children}</span>;

export const FACTURA_STATUS: Record<FacturaStatus, { label: string; tone: Tone }> = {
  borrador: { label: 'Borrador', tone: 'neutral' },
  pendiente: { label: 'Pendiente', tone: 'info' },
  timbrada: { label: 'Timbrada', tone: 'ok' },
  rechazada: { label: 'Rechazada', tone: 'bad' },
  error: { label: 'Error', tone: 'bad' },
  cancelacion_pendiente: { label: 'Cancelación pendiente', tone: 'warn' },
  cancelada: { label: 'Cancelada', tone: 'neutral' },
  cancelacion_rechazada: { label: 'Cancelación rechazada', tone: 'warn' },
};

/** Every status, in the order the panel lists them (the table above is exhaustive by its type). */
export const ESTADOS_FACTURA = Object.keys(FACTURA_STATUS) as FacturaStatus[];

export const StatusBadge: FC<{ status: FacturaStatus }> = ({ status }) => (
  <Badge tone={FACTURA_STATUS[status].tone}>
    <span data-status={status}>{FACTURA_STATUS[status].label}</span>
  </Badge>
);

export const ModeBadge: FC<{ mode: string }> = ({ mode }) =>
  mode === 'live' ? <Badge tone="warn">Producción</Badge> : <Badge tone="info">Pruebas</Badge>;

export const Empty: FC<PropsWithChildren> = ({ children }) => <div class="empty">{children}</div>;

/** A column heading: its text, or its text and the cell class (e.g. `num` for amounts). */
type Columna = string | { titulo: string; clase: string };

/** A listing table: the headings (and an "Acciones" column when rows carry buttons) over the rows given. */
export const Tabla: FC<PropsWithChildren<{ columnas: readonly Columna[]; acciones?: boolean }>> = ({ columnas, acciones, children }) => (
  <table>
    <thead>
      <tr>
        {columnas.map((col) => (typeof col === 'string' ? <th>{col}</th> : <th class={col.clase}>{col.titulo}</th>))}
        {acciones ? (
          <th class="actions">
            <span class="muted">Acciones</span>
          </th>
        ) : null}
      </tr>
    </thead>
    <tbody>{children}</tbody>
  </table>
);

/** Tabs of one client application's pages. */
export const AppTabs: FC<{ appId: string; current: 'datos' | 'csd' | 'llaves' | 'webhooks' | 'facturas' | 'clientes' | 'emitir' }> = ({ appId, current }) => {
  const base = `/admin/aplicaciones/${appId}`;
  const tabs = [
    { id: 'datos', href: base, label: 'Datos del emisor' },
    { id: 'csd', href: `${base}/csd`, label: 'CSD' },
    { id: 'llaves', href: `${base}/llaves`, label: 'API keys' },
    { id: 'webhooks', href: `${base}/webhooks`, label: 'Webhooks' },
    { id: 'facturas', href: `${base}/facturas`, label: 'Facturas' },
    { id: 'clientes', href: `${base}/clientes`, label: 'Clientes' },
    { id: 'emitir', href: `${base}/emitir`, label: 'Emitir' },
  ];
  return (
    <nav aria-label="Secciones de la aplicación">
      <ul class="tabs">
        {tabs.map((t) => (
          <li>
            <a href={t.href} aria-current={t.id === current ? 'page' : undefined}>
              {t.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
};
