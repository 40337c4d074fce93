/**
 * The fixed style sheet of every report (the per-report part, fonts and page rules, is added on
 * paper only). It lives here because the app's CSP names its hash: the report preview is a
 * sandboxed srcdoc frame, which inherits the app's policy, so this exact sheet, and no other inline
 * style, applies in it. Change the sheet and report-css.test.ts gives the new hash.
 */
export const REPORT_BASE_CSS = `html{font-family:DossierSans,DossierCJK,sans-serif;font-size:9pt;color:#161616;line-height:1.35}
body{margin:0}
@media screen{body{max-width:190mm;margin:0 auto;padding:10mm}.marking-screen{display:block}}
.marking-screen{display:none;text-align:center;font-weight:bold;letter-spacing:.08em;border:1pt solid #8a1c1c;color:#8a1c1c;padding:2pt;margin-bottom:6pt}
h1{font-size:20pt;margin:0 0 6pt}
h2{font-size:14pt;margin:0 0 8pt;padding-bottom:3pt;border-bottom:1.2pt solid #2d3f5c;color:#1d2c44;break-after:avoid}
h3{font-size:11pt;margin:12pt 0 4pt;break-after:avoid;color:#1d2c44}
h4,h5,h6{font-size:9.5pt;margin:8pt 0 3pt;break-after:avoid}
section{break-before:page}
section:first-of-type{break-before:auto}
p{margin:0 0 5pt}
table{width:100%;border-collapse:collapse;table-layout:fixed;margin:4pt 0 8pt}
thead{display:table-header-group}
tfoot{display:table-footer-group}
tr,tbody.unit{break-inside:avoid}
th{background:#e8ecf2;text-align:left;font-weight:bold}
th,td{border:.5pt solid #b9c0cb;padding:2pt 3pt;vertical-align:top;overflow-wrap:anywhere;word-break:break-word;font-size:8pt}
td.num,th.num{text-align:right}
.hash{font-size:7pt;white-space:nowrap;letter-spacing:0}
.hashline td{background:#f6f7f9;font-size:7pt}
.muted{color:#5c6470}
.kv{width:auto;table-layout:auto}
.kv th{width:42mm;background:none}
.kv th,.kv td{border:none;border-bottom:.5pt solid #e1e4e8;font-size:9pt}
.msg{white-space:pre-wrap;overflow-wrap:anywhere;word-break:break-all}
.status{display:inline-block;padding:0 4pt;border:.6pt solid #555;border-radius:2pt;font-size:8pt;font-weight:bold;text-transform:uppercase}
.status-supported{border-color:#1c6e42;color:#1c6e42}.status-refuted{border-color:#8a1c1c;color:#8a1c1c}
.status-open{border-color:#2d3f5c;color:#2d3f5c}.status-inconclusive{border-color:#7a5b00;color:#7a5b00}
.hyp{break-inside:avoid-page;margin-bottom:10pt}
.note{margin-bottom:10pt}
.markdown pre,pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f4f5f7;padding:4pt;font-size:8pt}
.markdown code{background:#f1f2f4;padding:0 2pt}
blockquote{margin:0 0 5pt;padding-left:6pt;border-left:2pt solid #b9c0cb;color:#333}
figure{margin:6pt 0 12pt;break-inside:avoid}
figure svg{width:100%;height:auto}
figcaption{font-size:8pt;color:#5c6470}
.toc ol{padding-left:14pt;font-size:11pt;line-height:1.8}
.toc a{color:#1d2c44;text-decoration:none;display:flex;align-items:baseline}
.toc .toc-dots{flex:1;border-bottom:1px dotted #9aa0a8;margin:0 4pt}
.toc .toc-page{min-width:2.2em;text-align:right;font-variant-numeric:tabular-nums}
.cover{padding-top:30mm}
.cover .marking{font-size:12pt;font-weight:bold;color:#8a1c1c;letter-spacing:.1em;margin-bottom:20mm}
.cover h1{font-size:26pt}
.cover .subtitle{font-size:13pt;color:#5c6470;margin-bottom:14mm}
.w4p{width:4%}.w9p{width:9%}.w10p{width:10%}.w14p{width:14%}.w19p{width:19%}.w20p{width:20%}.w24p{width:24%}.w14{width:14mm}.w16{width:16mm}.w18{width:18mm}.w22{width:22mm}.w30{width:30mm}.w36{width:36mm}.w38{width:38mm}.w42{width:42mm}.w50{width:50mm}
`;

/** base64 SHA-256 of REPORT_BASE_CSS, as CSP wants it. */
export const REPORT_BASE_CSS_SHA256 = 'e9PuB2VgJkhJMemW+4I+E+8Sos0cahyWqRfs7EnN6Dw=';
