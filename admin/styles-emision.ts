// The issuing forms' CSS, served after admin/styles.ts: a concepto's (or paid factura's) fields side by side where
// the screen allows, one under another on a phone.
export const STYLES_EMISION_CSS = `
form.emision { max-width: 960px; }
fieldset.concepto { display: grid; gap: .75rem; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); }
fieldset.concepto legend { font-weight: 600; padding: 0 .35rem; }
`;
