import type { Child } from 'hono/jsx';

export interface MarcaPortal {
  slug: string;
  nombre: string;
  conLogo: boolean;
}

/** Every portal page: the merchant's name and logo on top (a plain header without a logo), one column. */
export function Portal(props: { title: string; marca?: MarcaPortal; refrescar?: number; children?: Child }) {
  const { marca } = props;
  return (
    <html lang="es">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        {props.refrescar ? <meta http-equiv="refresh" content={String(props.refrescar)} /> : null}
        <title>{marca ? `${props.title} · ${marca.nombre}` : props.title}</title>
        <link rel="stylesheet" href="/autofactura/styles.css" />
        <script src="/autofactura/app.js" defer></script>
      </head>
      <body>
        <header class="marca">
          {marca?.conLogo ? <img src={`/autofactura/${marca.slug}/logo`} alt="" /> : null}
          <h1>{marca ? marca.nombre : 'Facturación de tickets'}</h1>
        </header>
        <main>{props.children}</main>
        <footer>Facturación electrónica CFDI 4.0 · HexaFac</footer>
      </body>
    </html>
  );
}

/** One answer for an unknown portal, an unknown clave and another merchant's ticket: nothing to enumerate. */
export const NoEncontrado = (props: { marca?: MarcaPortal }) => (
  <Portal title="No encontrado" marca={props.marca}>
    <div class="card">
      <h2>No encontramos ese ticket</h2>
      <p>Revisa la clave impresa en tu ticket y vuelve a escribirla. Si escaneaste el código QR, pide al comercio que te confirme la clave.</p>
      {props.marca ? (
        <a class="boton secundario" href={`/autofactura/${props.marca.slug}`}>
          Escribir otra clave
        </a>
      ) : null}
    </div>
  </Portal>
);

export const Mensaje = (props: { title: string; texto: string; marca?: MarcaPortal }) => (
  <Portal title={props.title} marca={props.marca}>
    <div class="card">
      <h2>{props.title}</h2>
      <p>{props.texto}</p>
    </div>
  </Portal>
);
