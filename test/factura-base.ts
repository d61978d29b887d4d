// Plain data, importable from the Workers pool and from Node tests alike.

/** A valid factura body (I/PUE, IVA 16%) billed to the SAT test issuer itself (EKU9003173C9, CP 42501). */
export function facturaBase(over: Record<string, unknown> = {}) {
  return {
    receptor: { rfc: 'EKU9003173C9', nombre: 'ESCUELA KEMPER URGATE', domicilio_fiscal: '42501', regimen_fiscal: '601', uso_cfdi: 'G03' },
    forma_pago: '03',
    metodo_pago: 'PUE',
    moneda: 'MXN',
    conceptos: [
      {
        clave_prod_serv: '43232408',
        cantidad: '2',
        clave_unidad: 'E48',
        descripcion: 'Desarrollo de software',
        valor_unitario: '500.00',
        objeto_imp: '02',
        impuestos: { traslados: [{ impuesto: '002', tipo_factor: 'Tasa', tasa_o_cuota: '0.160000' }] },
      },
    ],
    ...over,
  };
}
