// The stylesheet inside report.html (inline: the report must open from disk with no network).
export const STYLE_CSS = `
:root { --ok: #2f9e44; --fail: #e03131; --info: #f59f00; --pending: #adb5bd; --mark: #7048e8; --fg: #212529; --muted: #6c757d; --line: #dee2e6; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: #fff; }
header { padding: 14px 20px; border-bottom: 4px solid var(--line); background: #f8f9fa; }
header.v-pass { border-color: var(--ok); }
header.v-fail, header.v-error { border-color: var(--fail); }
header.v-unknown { border-color: var(--info); }
h1 { margin: 0 0 4px; font-size: 20px; }
h1 .badge { font-size: 14px; vertical-align: middle; }
h2 { font-size: 16px; margin: 22px 0 8px; }
h3 { font-size: 15px; margin: 0 0 6px; }
h4 { font-size: 13px; margin: 10px 0 2px; color: var(--muted); }
main { padding: 0 20px 40px; }
code, pre { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { background: #f1f3f5; padding: 6px 8px; margin: 0; white-space: pre-wrap; word-break: break-all; max-height: 220px; overflow: auto; }
.facts { margin: 2px 0; color: #343a40; }
.facts span { margin-right: 16px; white-space: nowrap; }
.replay code { background: #fff; border: 1px solid var(--line); padding: 2px 6px; user-select: all; }
.muted { color: var(--muted); }
.badge, .pill { display: inline-block; padding: 0 7px; border-radius: 9px; font-size: 12px; font-weight: 600; color: #fff; background: var(--pending); }
.badge.pass, .pill.o { background: var(--ok); }
.badge.fail, .badge.error, .pill.f { background: var(--fail); }
.badge.unknown, .pill.i { background: var(--info); }
.pill.p { background: var(--pending); }
.mark { color: var(--mark); }
ol.checks { list-style: none; padding: 0; margin: 0; }
ol.checks > li { padding: 6px 0; border-bottom: 1px solid var(--line); }
ol.checks > li .name { font-weight: 600; margin: 0 6px; }
ol.checks > li p { margin: 2px 0 0 0; }
ul.findings { margin: 4px 0 2px; padding-left: 18px; max-height: 260px; overflow: auto; }
ul.findings li { margin: 1px 0; }
ul.findings .kind { display: inline-block; min-width: 76px; font-size: 12px; color: var(--mark); font-weight: 600; }
a.finding { color: #1c4ed8; text-decoration: none; cursor: pointer; }
a.finding:hover { text-decoration: underline; }
a.finding.active { background: #e5dbff; outline: 1px solid var(--mark); }
button { font: inherit; font-size: 12px; padding: 2px 8px; border: 1px solid #adb5bd; border-radius: 4px; background: #fff; cursor: pointer; }
button:hover { background: #f1f3f5; }
.toolbar { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin-bottom: 6px; }
.legend span { margin-right: 10px; font-size: 12px; white-space: nowrap; }
.legend i { display: inline-block; width: 12px; height: 10px; margin-right: 4px; vertical-align: -1px; }
#range { font-size: 12px; color: var(--muted); }
.timeline-layout { display: flex; gap: 14px; align-items: flex-start; }
.canvas-wrap { flex: 1 1 auto; min-width: 0; }
canvas { display: block; cursor: crosshair; }
canvas#timeline:focus { outline: 2px solid #a5d8ff; }
aside#details { flex: 0 0 320px; position: sticky; top: 8px; border: 1px solid var(--line); border-radius: 6px; padding: 10px; font-size: 13px; max-height: 90vh; overflow: auto; }
aside#details dl { display: grid; grid-template-columns: auto 1fr; gap: 1px 10px; margin: 0; }
aside#details dt { color: var(--muted); }
aside#details dd { margin: 0; }
aside#details ul { padding-left: 18px; margin: 2px 0; }
#tooltip { position: fixed; z-index: 10; max-width: 460px; pointer-events: none; background: rgba(33,37,41,0.94); color: #f8f9fa; padding: 6px 9px; border-radius: 5px; font-size: 12px; line-height: 1.45; }
#tooltip code { color: #ffe066; font-size: 11px; word-break: break-all; }
#tooltip .mark { color: #d0bfff; }
table.data { border-collapse: collapse; font-size: 13px; }
table.data th, table.data td { border-bottom: 1px solid var(--line); padding: 3px 10px; text-align: right; }
table.data th:first-child, table.data td:first-child { text-align: left; }
table.data td.text { text-align: left; }
table.data tr.all td { font-weight: 600; }
table.data tr.fail td { color: var(--fail); font-weight: 600; }
.chart-head { font-size: 13px; margin: 14px 0 4px; color: #343a40; }
.notes li { color: #5c3c00; }
`;
