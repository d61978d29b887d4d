// Every namespace the core reads or writes, and the schema location (xsi:schemaLocation) of those it writes.

export const NS = {
  cfdi: 'http://www.sat.gob.mx/cfd/4',
  pago20: 'http://www.sat.gob.mx/Pagos20',
  nomina12: 'http://www.sat.gob.mx/nomina12',
  cartaporte31: 'http://www.sat.gob.mx/CartaPorte31',
  tfd: 'http://www.sat.gob.mx/TimbreFiscalDigital',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
  xml: 'http://www.w3.org/XML/1998/namespace',
  xmlns: 'http://www.w3.org/2000/xmlns/',
} as const;

export const XSD = {
  cfdi: 'http://www.sat.gob.mx/sitio_internet/cfd/4/cfdv40.xsd',
  pago20: 'http://www.sat.gob.mx/sitio_internet/cfd/Pagos/Pagos20.xsd',
  nomina12: 'http://www.sat.gob.mx/sitio_internet/cfd/nomina/nomina12.xsd',
  cartaporte31: 'http://www.sat.gob.mx/sitio_internet/cfd/CartaPorte/CartaPorte31.xsd',
  tfd: 'http://www.sat.gob.mx/sitio_internet/cfd/TimbreFiscalDigital/TimbreFiscalDigitalv11.xsd',
} as const satisfies Partial<Record<keyof typeof NS, string>>;

/** The "namespace-uri xsd-url" pair of xsi:schemaLocation. */
export const ubicacionEsquema = (ns: keyof typeof XSD) => `${NS[ns]} ${XSD[ns]}`;
