/**
 * The Carta Porte 3.1 part of the printed CFDI (src/cfdi/pdf.ts draws the rest): the IdCCP and the route totals,
 * the ubicaciones, the mercancías, the autotransporte (permiso, vehicle, seguros, remolques) and the figuras del
 * transporte, read from the stamped XML's cartaporte31:CartaPorte with the layout's own boxes and tables.
 */
import { attr, children, child, type XmlElement } from '../../dom';
import { NS } from '../../namespaces';
import { columnas, GRIS, NEGRITA, type Dibujo } from '../../pdf-formato';

const FIGURAS: Record<string, string> = { '01': 'Operador', '02': 'Propietario', '03': 'Arrendador', '04': 'Notificado', '05': 'Integrante de coordinados' };

const hijos = (el: XmlElement | undefined, nombre: string) => (el ? children(el, NS.cartaporte31, nombre) : []);
const hijo = (el: XmlElement | undefined, nombre: string) => el && child(el, NS.cartaporte31, nombre);
const a = (el: XmlElement | undefined, nombre: string) => el && attr(el, nombre);
const unir = (partes: (string | undefined)[], sep = ' ') => partes.filter(Boolean).join(sep) || undefined;
const fechaHora = (v: string | undefined) => v?.replace('T', ' ');

function domicilio(d: XmlElement | undefined): string | undefined {
  if (!d) return undefined;
  const calle = unir([a(d, 'Calle'), a(d, 'NumeroExterior'), a(d, 'NumeroInterior') && `int. ${a(d, 'NumeroInterior')}`]);
  const lugar = unir([a(d, 'Colonia') && `col. ${a(d, 'Colonia')}`, a(d, 'Localidad') && `loc. ${a(d, 'Localidad')}`, a(d, 'Municipio') && `mun. ${a(d, 'Municipio')}`], ', ');
  return unir([calle, lugar, unir([a(d, 'Estado'), a(d, 'Pais'), `C.P. ${a(d, 'CodigoPostal')}`], ', '), a(d, 'Referencia')], '\n');
}

export function dibujarCartaPorte(d: Dibujo, cp: XmlElement, ancho: number): void {
  const mitad = (ancho - 10) / 2;
  const mercancias = hijo(cp, 'Mercancias');
  const regimenes = hijos(hijo(cp, 'RegimenesAduaneros'), 'RegimenAduaneroCCP').map((r) => a(r, 'RegimenAduanero'));
  d.cajas(
    {
      ancho: mitad,
      titulo: `Carta Porte ${a(cp, 'Version') ?? ''}`.trim(),
      anchoEtiqueta: 100,
      filas: [
        ['IdCCP', a(cp, 'IdCCP')],
        ['Transporte internacional', a(cp, 'TranspInternac')],
        ['Entrada o salida', a(cp, 'EntradaSalidaMerc')],
        ['País de origen o destino', a(cp, 'PaisOrigenDestino')],
        ['Vía de entrada o salida', a(cp, 'ViaEntradaSalida')],
        ['Regímenes aduaneros', unir(regimenes, ', ')],
      ],
    },
    {
      ancho: mitad,
      titulo: 'Totales del traslado',
      anchoEtiqueta: 130,
      filas: [
        ['Distancia total recorrida', a(cp, 'TotalDistRec') && `${a(cp, 'TotalDistRec')} km`],
        ['Peso bruto total', unir([a(mercancias, 'PesoBrutoTotal'), a(mercancias, 'UnidadPeso')])],
        ['Número total de mercancías', a(mercancias, 'NumTotalMercancias')],
        ['Logística inversa', a(mercancias, 'LogisticaInversaRecoleccionDevolucion')],
      ],
    },
  );

  d.tabla(
    columnas(ancho, 2, [
      { titulo: 'Ubicación', ancho: 62 },
      { titulo: 'Remitente / destinatario', ancho: 130 },
      { titulo: 'Domicilio', ancho: 0 },
      { titulo: 'Salida / llegada', ancho: 78 },
      { titulo: 'Distancia', ancho: 52, alinear: 'der' },
    ]),
    hijos(hijo(cp, 'Ubicaciones'), 'Ubicacion').map((u) => [
      [{ texto: a(u, 'TipoUbicacion') }, { texto: a(u, 'IDUbicacion'), estilo: GRIS }],
      [{ texto: a(u, 'NombreRemitenteDestinatario') }, { texto: unir([a(u, 'RFCRemitenteDestinatario'), a(u, 'NumRegIdTrib'), a(u, 'ResidenciaFiscal')]), estilo: GRIS }],
      [{ texto: domicilio(hijo(u, 'Domicilio')), estilo: { size: 7 } }],
      [{ texto: fechaHora(a(u, 'FechaHoraSalidaLlegada')) }],
      [{ texto: a(u, 'DistanciaRecorrida') && `${a(u, 'DistanciaRecorrida')} km` }],
    ]),
  );

  d.tabla(
    columnas(ancho, 1, [
      { titulo: 'Bienes transp.', ancho: 58 },
      { titulo: 'Descripción', ancho: 0 },
      { titulo: 'Cantidad', ancho: 48, alinear: 'der' },
      { titulo: 'Unidad', ancho: 40 },
      { titulo: 'Peso (kg)', ancho: 56, alinear: 'der' },
      { titulo: 'Material peligroso', ancho: 86 },
    ]),
    hijos(mercancias, 'Mercancia').map((m) => {
      const detalle = [
        ...hijos(m, 'DocumentacionAduanera').map((x) =>
          unir([`Documento aduanero ${a(x, 'TipoDocumento')}`, a(x, 'NumPedimento') && `pedimento ${a(x, 'NumPedimento')}`, a(x, 'IdentDocAduanero'), a(x, 'RFCImpo') && `importador ${a(x, 'RFCImpo')}`]),
        ),
        ...hijos(m, 'CantidadTransporta').map((x) => `${a(x, 'Cantidad')} de ${a(x, 'IDOrigen')} a ${a(x, 'IDDestino')}`),
        ...hijos(m, 'GuiasIdentificacion').map((x) => `Guía ${a(x, 'NumeroGuiaIdentificacion')} (${a(x, 'PesoGuiaIdentificacion')} kg)`),
        a(m, 'ValorMercancia') && `Valor ${a(m, 'ValorMercancia')} ${a(m, 'Moneda') ?? ''}`.trim(),
        a(m, 'FraccionArancelaria') && `Fracción arancelaria ${a(m, 'FraccionArancelaria')}`,
        a(m, 'SectorCOFEPRIS') && `Sector COFEPRIS ${a(m, 'SectorCOFEPRIS')}`,
        a(m, 'Dimensiones') && `Dimensiones ${a(m, 'Dimensiones')}`,
      ].filter(Boolean);
      const peligroso = a(m, 'MaterialPeligroso') === 'Sí';
      return [
        [{ texto: a(m, 'BienesTransp') }],
        [{ texto: a(m, 'Descripcion') }, { texto: detalle.join('\n'), estilo: GRIS }],
        [{ texto: a(m, 'Cantidad') }],
        [{ texto: a(m, 'ClaveUnidad') }, { texto: a(m, 'Unidad'), estilo: GRIS }],
        [{ texto: a(m, 'PesoEnKg'), estilo: NEGRITA }],
        [
          { texto: peligroso ? `Sí: ONU ${a(m, 'CveMaterialPeligroso')}` : a(m, 'MaterialPeligroso'), estilo: peligroso ? NEGRITA : undefined },
          { texto: unir([a(m, 'Embalaje') && `Embalaje ${a(m, 'Embalaje')}`, a(m, 'DescripEmbalaje')], ': '), estilo: GRIS },
        ],
      ];
    }),
  );

  const auto = hijo(mercancias, 'Autotransporte');
  if (auto) {
    const v = hijo(auto, 'IdentificacionVehicular');
    const s = hijo(auto, 'Seguros');
    const remolques = hijos(hijo(auto, 'Remolques'), 'Remolque').map((r) => `${a(r, 'SubTipoRem')} placa ${a(r, 'Placa')}`);
    d.cajas(
      {
        ancho: mitad,
        titulo: 'Autotransporte',
        anchoEtiqueta: 100,
        filas: [
          ['Permiso SICT', a(auto, 'PermSCT')],
          ['Número de permiso', a(auto, 'NumPermisoSCT')],
          ['Configuración vehicular', a(v, 'ConfigVehicular')],
          ['Peso bruto vehicular', a(v, 'PesoBrutoVehicular') && `${a(v, 'PesoBrutoVehicular')} t`],
          ['Placa y año', unir([a(v, 'PlacaVM'), a(v, 'AnioModeloVM')], ' · ')],
          ['Remolques', remolques.join('\n') || undefined],
        ],
      },
      {
        ancho: mitad,
        titulo: 'Seguros',
        anchoEtiqueta: 100,
        filas: [
          ['Responsabilidad civil', unir([a(s, 'AseguraRespCivil'), a(s, 'PolizaRespCivil')], ' · póliza ')],
          ['Medio ambiente', unir([a(s, 'AseguraMedAmbiente'), a(s, 'PolizaMedAmbiente')], ' · póliza ')],
          ['Carga', unir([a(s, 'AseguraCarga'), a(s, 'PolizaCarga')], ' · póliza ')],
          ['Prima del seguro', a(s, 'PrimaSeguro')],
        ],
      },
    );
  }

  const figuras = hijos(hijo(cp, 'FiguraTransporte'), 'TiposFigura');
  if (figuras.length) {
    d.tabla(
      columnas(ancho, 1, [
        { titulo: 'Figura', ancho: 80 },
        { titulo: 'Nombre', ancho: 0 },
        { titulo: 'RFC / registro', ancho: 110 },
        { titulo: 'Licencia', ancho: 80 },
        { titulo: 'Partes del transporte', ancho: 90 },
      ]),
      figuras.map((f) => [
        [{ texto: unir([a(f, 'TipoFigura'), FIGURAS[a(f, 'TipoFigura') ?? '']], ' ') }],
        [{ texto: a(f, 'NombreFigura') }, { texto: domicilio(hijo(f, 'Domicilio')), estilo: GRIS }],
        [{ texto: a(f, 'RFCFigura') ?? a(f, 'NumRegIdTribFigura') }, { texto: a(f, 'ResidenciaFiscalFigura'), estilo: GRIS }],
        [{ texto: a(f, 'NumLicencia') }],
        [{ texto: hijos(f, 'PartesTransporte').map((p) => a(p, 'ParteTransporte')).join(', ') || undefined }],
      ]),
    );
  }
}
