// The panel's one stylesheet, served at /admin/styles.css. It lives in a TS module because the Worker
// bundle (wrangler/esbuild) and the test pool (Vite) have no common way to import a .css file as text.
// The palette: every text/background pair below meets WCAG 2.1 AA (≥ 4.5:1; contrast noted beside it).
export const STYLES_CSS = `
:root {
  --c-bg: #f4f6f9;
  --c-surface: #ffffff;
  --c-text: #17212f;          /* 15.9:1 on surface */
  --c-muted: #4a5668;         /* 7.3:1 on surface, 6.8:1 on bg */
  --c-border: #d3dae4;
  --c-border-strong: #8a96a8;
  --c-nav: #0f2138;           /* nav background; white text 16:1 */
  --c-nav-text: #ffffff;
  --c-nav-muted: #c2cfe0;     /* 10.6:1 on nav */
  --c-primary: #0a58a8;       /* 6.9:1 on surface; white on it 6.9:1 */
  --c-primary-hover: #08457f;
  --c-primary-soft: #e6f0fa;
  --c-accent: #0d7068;        /* brand teal, 5.8:1 on surface */
  --c-danger: #b3261e;        /* 6.4:1 on surface; white on it 6.4:1 */
  --c-danger-soft: #fdecea;   /* danger text on it 5.6:1 */
  --c-success: #11663f;       /* 6.9:1 on surface */
  --c-success-soft: #e3f4ea;  /* success text on it 6.2:1 */
  --c-warning: #7a4b00;       /* 7.4:1 on surface */
  --c-warning-soft: #fff3d6;  /* warning text on it 6.6:1 */
  --c-info-soft: #e6f0fa;     /* primary text on it 6.0:1 */
  --c-neutral-soft: #eceff3;  /* muted text on it 6.3:1 */
  --c-focus: #f5a623;
  --radius: 8px;
  --shadow: 0 1px 2px rgba(15, 33, 56, .06), 0 2px 8px rgba(15, 33, 56, .05);
  --font: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
}
* { box-sizing: border-box; }
html { font-size: 16px; }
body { margin: 0; font-family: var(--font); color: var(--c-text); background: var(--c-bg); line-height: 1.5; }
a { color: var(--c-primary); }
a:hover { color: var(--c-primary-hover); }
:focus-visible { outline: 3px solid var(--c-focus); outline-offset: 2px; }
code, .mono { font-family: var(--mono); font-size: .9em; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; line-height: 1.25; }
h2 { font-size: 1.15rem; margin: 0 0 .75rem; }
h3 { font-size: 1rem; margin: 0 0 .5rem; }
p { margin: 0 0 .75rem; }
.skip { position: absolute; left: -999px; top: 0; background: var(--c-surface); padding: .5rem 1rem; z-index: 10; }
.skip:focus { left: 1rem; }

/* top bar */
.topbar { background: var(--c-nav); color: var(--c-nav-text); }
.topbar-inner { max-width: 1200px; margin: 0 auto; padding: .6rem 1.25rem; display: flex; align-items: center; gap: 1.5rem; flex-wrap: wrap; }
.brand { display: flex; align-items: center; gap: .5rem; color: var(--c-nav-text); text-decoration: none; font-weight: 700; font-size: 1.1rem; letter-spacing: .01em; }
.brand:hover { color: var(--c-nav-text); }
.brand svg { display: block; }
.nav { display: flex; gap: .25rem; flex-wrap: wrap; margin: 0; padding: 0; list-style: none; flex: 1; }
.nav a { color: var(--c-nav-muted); text-decoration: none; padding: .4rem .7rem; border-radius: 6px; display: block; font-weight: 500; }
.nav a:hover, .nav a[aria-current="page"] { color: var(--c-nav-text); background: rgba(255, 255, 255, .1); }
.topbar-tools { display: flex; align-items: center; gap: .75rem; flex-wrap: wrap; }
.whoami { color: var(--c-nav-muted); font-size: .875rem; }
.modeswitch { display: inline-flex; border: 1px solid rgba(255, 255, 255, .35); border-radius: 999px; overflow: hidden; margin: 0; }
.modeswitch button { background: transparent; color: var(--c-nav-muted); border: 0; padding: .3rem .8rem; font: inherit; font-size: .85rem; cursor: pointer; }
.modeswitch button[aria-pressed="true"] { background: var(--c-nav-text); color: var(--c-nav); font-weight: 600; }
.modeswitch button.live[aria-pressed="true"] { background: #ffd27a; color: #3d2800; }
.linkbtn { background: none; border: 0; color: var(--c-nav-muted); font: inherit; font-size: .875rem; cursor: pointer; text-decoration: underline; padding: 0; }
.linkbtn:hover { color: var(--c-nav-text); }
.modebanner { background: var(--c-warning-soft); color: var(--c-warning); text-align: center; font-size: .875rem; padding: .35rem 1rem; border-bottom: 1px solid #f0d48f; }

/* layout */
main { max-width: 1200px; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
.pagehead { display: flex; justify-content: space-between; align-items: flex-end; gap: 1rem; flex-wrap: wrap; margin-bottom: 1.25rem; }
.pagehead p { color: var(--c-muted); margin: 0; }
.crumbs { font-size: .875rem; color: var(--c-muted); margin-bottom: .35rem; }
.crumbs a { color: var(--c-muted); }
.card { background: var(--c-surface); border: 1px solid var(--c-border); border-radius: var(--radius); box-shadow: var(--shadow); padding: 1.25rem; margin-bottom: 1.25rem; }
.card > h2:first-child { margin-top: 0; }
.grid { display: grid; gap: 1.25rem; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); }
.stats { display: grid; gap: .75rem; grid-template-columns: repeat(auto-fit, minmax(130px, 1fr)); }
.stat .badge { white-space: normal; }
.stat { border: 1px solid var(--c-border); border-radius: var(--radius); padding: .75rem 1rem; background: var(--c-surface); }
.stat .n { font-size: 1.6rem; font-weight: 700; display: block; line-height: 1.2; }
.stat .l { color: var(--c-muted); font-size: .85rem; }
.grafica { margin: 1rem 0 0; }
.grafica svg { width: 100%; height: auto; max-height: 12rem; display: block; }
.grafica text { font-size: 9px; fill: var(--c-muted); }
.barra-facturado, .clave-facturado { fill: var(--c-primary); color: var(--c-primary); }
.barra-cobrado, .clave-cobrado { fill: var(--c-accent); color: var(--c-accent); }
.tabs { display: flex; gap: .25rem; border-bottom: 1px solid var(--c-border); margin: 0 0 1.25rem; padding: 0; list-style: none; flex-wrap: wrap; }
.tabs a { display: block; padding: .55rem .9rem; text-decoration: none; color: var(--c-muted); border-bottom: 3px solid transparent; font-weight: 500; white-space: nowrap; }
.tabs a:hover { color: var(--c-text); }
.tabs a[aria-current="page"] { color: var(--c-primary); border-bottom-color: var(--c-primary); }
dl.kv { display: grid; grid-template-columns: minmax(140px, max-content) 1fr; gap: .4rem 1.25rem; margin: 0; }
dl.kv dt { color: var(--c-muted); }
dl.kv dd { margin: 0; word-break: break-word; }

/* tables */
.tablewrap { overflow-x: auto; border: 1px solid var(--c-border); border-radius: var(--radius); background: var(--c-surface); box-shadow: var(--shadow); }
table { width: 100%; border-collapse: collapse; font-size: .925rem; }
th, td { text-align: left; padding: .6rem .8rem; border-bottom: 1px solid var(--c-border); vertical-align: top; }
th { background: #f8fafc; color: var(--c-muted); font-weight: 600; font-size: .8rem; text-transform: uppercase; letter-spacing: .03em; white-space: nowrap; }
tr:last-child td { border-bottom: 0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.actions { white-space: nowrap; text-align: right; }
.empty { padding: 2rem 1rem; text-align: center; color: var(--c-muted); }

/* badges */
.badge { display: inline-block; padding: .1rem .55rem; border-radius: 999px; font-size: .78rem; font-weight: 600; white-space: nowrap; border: 1px solid transparent; }
.b-ok { background: var(--c-success-soft); color: var(--c-success); border-color: #b5dec6; }
.b-bad { background: var(--c-danger-soft); color: var(--c-danger); border-color: #f4c1bd; }
.b-warn { background: var(--c-warning-soft); color: var(--c-warning); border-color: #f0d48f; }
.b-info { background: var(--c-info-soft); color: var(--c-primary); border-color: #bcd5ef; }
.b-neutral { background: var(--c-neutral-soft); color: var(--c-muted); border-color: var(--c-border); }

/* forms */
form.stack { display: grid; gap: 1rem; max-width: 640px; }
.row2 { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); align-items: start; }
.field { display: grid; gap: .3rem; align-content: start; }
.field label, .field legend { font-weight: 600; font-size: .925rem; }
.field .hint { color: var(--c-muted); font-size: .85rem; }
.field .error { color: var(--c-danger); font-size: .875rem; font-weight: 500; }
input[type=text], input[type=email], input[type=password], input[type=url], input[type=date], input[type=search], select, textarea {
  width: 100%; font: inherit; color: var(--c-text); background: var(--c-surface); border: 1px solid var(--c-border-strong);
  border-radius: 6px; padding: .5rem .65rem; min-height: 2.5rem;
}
input[type=file] { font: inherit; padding: .35rem 0; }
input[aria-invalid="true"], select[aria-invalid="true"], textarea[aria-invalid="true"] { border-color: var(--c-danger); box-shadow: 0 0 0 1px var(--c-danger); }
fieldset { border: 1px solid var(--c-border); border-radius: var(--radius); padding: .75rem 1rem 1rem; margin: 0; }
fieldset.field legend { padding: 0 .35rem; }
.checks { display: grid; gap: .35rem; grid-template-columns: repeat(auto-fit, minmax(min(100%, 16rem), 1fr)); }
.checks label { font-weight: 400; display: flex; gap: .5rem; align-items: center; min-width: 0; overflow-wrap: anywhere; }
.checks input, .radios input { width: 1.05rem; height: 1.05rem; }
.radios { display: flex; gap: 1.25rem; flex-wrap: wrap; }
.radios label { font-weight: 400; display: flex; gap: .45rem; align-items: center; }
.formactions { display: flex; gap: .75rem; align-items: center; flex-wrap: wrap; }
.filters { display: flex; gap: .75rem; align-items: flex-end; flex-wrap: wrap; margin-bottom: 1rem; }
.filters .field { min-width: 150px; flex: 1 1 150px; }
.filters select { min-height: 2.5rem; height: 2.6rem; }
.filters input { height: 2.6rem; }
.inline { display: inline; margin: 0; }

/* buttons */
.btn { display: inline-flex; align-items: center; gap: .4rem; font: inherit; font-weight: 600; font-size: .925rem; line-height: 1.2;
  padding: .55rem 1rem; border-radius: 6px; border: 1px solid var(--c-primary); background: var(--c-primary); color: #fff; cursor: pointer; text-decoration: none; min-height: 2.5rem; }
.btn:hover { background: var(--c-primary-hover); border-color: var(--c-primary-hover); color: #fff; }
.btn-secondary { background: var(--c-surface); color: var(--c-primary); border-color: var(--c-border-strong); }
.btn-secondary:hover { background: var(--c-primary-soft); color: var(--c-primary-hover); border-color: var(--c-primary); }
.btn-danger { background: var(--c-surface); color: var(--c-danger); border-color: #e3a29d; }
.btn-danger:hover { background: var(--c-danger); color: #fff; border-color: var(--c-danger); }
.btn-sm { padding: .3rem .65rem; font-size: .825rem; min-height: 2rem; }

/* messages */
.alert { border-radius: var(--radius); padding: .75rem 1rem; margin-bottom: 1rem; border: 1px solid; }
.alert-error { background: var(--c-danger-soft); color: var(--c-danger); border-color: #f4c1bd; }
.alert-ok { background: var(--c-success-soft); color: var(--c-success); border-color: #b5dec6; }
.alert-warn { background: var(--c-warning-soft); color: var(--c-warning); border-color: #f0d48f; }
.alert ul { margin: .35rem 0 0; padding-left: 1.25rem; }
.secret { display: flex; gap: .5rem; align-items: stretch; flex-wrap: wrap; }
.secret input { font-family: var(--mono); flex: 1; min-width: 240px; background: #f8fafc; }

/* timeline */
.timeline { list-style: none; margin: 0; padding: 0; border-left: 2px solid var(--c-border); }
.timeline li { position: relative; padding: 0 0 1rem 1.1rem; }
.timeline li::before { content: ""; position: absolute; left: -7px; top: .35rem; width: 12px; height: 12px; border-radius: 50%; background: var(--c-primary); border: 2px solid var(--c-surface); }
.timeline .when { color: var(--c-muted); font-size: .85rem; }
pre.json { background: #f8fafc; border: 1px solid var(--c-border); border-radius: 6px; padding: .6rem .8rem; overflow-x: auto; font-size: .8rem; margin: .35rem 0 0; }

/* sign-in */
.auth { min-height: 100vh; display: grid; place-items: center; padding: 1.5rem; background: linear-gradient(160deg, var(--c-nav) 0%, #173a63 55%, var(--c-accent) 130%); }
.auth .card { width: 100%; max-width: 420px; padding: 2rem; }
.auth .brand { color: var(--c-text); margin-bottom: 1.25rem; font-size: 1.3rem; }
.auth .brand:hover { color: var(--c-text); }
.auth form.stack { max-width: none; }
.auth .btn { width: 100%; justify-content: center; }
.muted { color: var(--c-muted); }
.mt { margin-top: 1rem; }
.small { font-size: .85rem; }

@media (max-width: 720px) {
  .topbar-inner { gap: .75rem; }
  .nav { order: 3; flex-basis: 100%; }
  main { padding: 1rem .75rem 2rem; }
  dl.kv { grid-template-columns: 1fr; }
  dl.kv dt { margin-top: .4rem; }
  h1 { font-size: 1.35rem; }
}
`;
