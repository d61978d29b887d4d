// The portal's one stylesheet: a single column that fits a 360 px phone and widens on a desktop.
export const STYLES_CSS = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;background:#f4f5f7}
main{max-width:720px;margin:0 auto;padding:16px}
header.marca{display:flex;align-items:center;gap:12px;padding:12px 16px;background:#fff;border-bottom:1px solid #d8dee4}
header.marca img{max-height:48px;max-width:160px}
header.marca h1{font-size:1.15rem;margin:0;overflow-wrap:anywhere}
.card{background:#fff;border:1px solid #d8dee4;border-radius:8px;padding:16px;margin:16px 0}
h2{font-size:1.1rem;margin:0 0 12px}
label{display:block;font-weight:600;margin:12px 0 4px}
input,select{width:100%;font:inherit;padding:10px;border:1px solid #8c959f;border-radius:6px;background:#fff}
input[aria-invalid=true],select[aria-invalid=true]{border-color:#cf222e}
.error{color:#cf222e;margin:4px 0 0;font-size:.95rem}
.ayuda{color:#57606a;font-size:.9rem;margin:4px 0 0}
button,.boton{display:inline-block;font:inherit;font-weight:600;padding:12px 18px;margin-top:16px;border:0;border-radius:6px;background:#0969da;color:#fff;text-decoration:none;text-align:center}
.boton.secundario{background:#fff;color:#0969da;border:1px solid #0969da}
.acciones{display:flex;flex-wrap:wrap;gap:8px}
table{width:100%;border-collapse:collapse;font-size:.95rem}
th,td{padding:6px 4px;border-bottom:1px solid #eaeef2;text-align:left;vertical-align:top}
td.num,th.num{text-align:right;white-space:nowrap}
.aviso{padding:12px;border-radius:6px;background:#fff8c5;border:1px solid #d4a72c}
.aviso.mal{background:#ffebe9;border-color:#cf222e}
.aviso.bien{background:#dafbe1;border-color:#1a7f37}
footer{color:#57606a;font-size:.85rem;text-align:center;padding:16px}
`;
