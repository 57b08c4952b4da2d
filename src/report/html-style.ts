/** The style sheet of the HTML report and the explorer: one look for both. */
export const REPORT_CSS = `
:root { --fg: #1d2b3a; --muted: #6b7785; --line: #dde3ea; --bg: #f6f8fa; --red: #c62828; --green: #2e7d32; --amber: #b26a00; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
main { max-width: 1400px; margin: 0 auto; padding: 24px 28px 48px; }
header h1 { margin: 0; font-size: 22px; font-weight: 650; word-break: break-all; }
.sub { margin: 2px 0 16px; color: var(--muted); }
h2 { font-size: 16px; margin: 28px 0 10px; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12.5px; }
.verdict { display: flex; flex-direction: column; gap: 2px; padding: 12px 16px; border-radius: 8px; border-left: 6px solid; background: #fff; box-shadow: 0 1px 2px rgba(0,0,0,.06); }
.verdict strong { font-size: 16px; }
.verdict.ok { border-color: var(--green); } .verdict.ok strong { color: var(--green); }
.verdict.violation { border-color: var(--red); } .verdict.violation strong { color: var(--red); }
.verdict.incomplete { border-color: var(--amber); } .verdict.incomplete strong { color: var(--amber); }
.stats { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 10px; margin: 14px 0 0; }
.stats div { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; }
.stats dt { color: var(--muted); font-size: 12px; } .stats dd { margin: 0; font-size: 17px; font-weight: 600; font-variant-numeric: tabular-nums; }
.diagram { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 8px; overflow-x: auto; }
.path { color: var(--muted); margin: 0 0 8px; }
.table-wrap { overflow-x: auto; background: #fff; border: 1px solid var(--line); border-radius: 8px; }
table { border-collapse: collapse; width: 100%; font-size: 12.5px; }
th, td { padding: 5px 9px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; white-space: nowrap; }
thead th { position: sticky; top: 0; background: #eef2f6; font-weight: 600; font-size: 12px; }
tbody th { color: var(--muted); font-weight: 500; font-variant-numeric: tabular-nums; }
table.trace td { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
table.trace td.proc { font-family: inherit; font-weight: 600; }
table.trace td.act { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; white-space: normal; min-width: 180px; max-width: 360px; }
.loc { display: block; color: var(--muted); font-size: 11px; font-family: system-ui, sans-serif; white-space: nowrap; }
.clamp { display: -webkit-box; -webkit-line-clamp: 3; -webkit-box-orient: vertical; overflow: hidden; }
td.changed { background: #fff3bf; font-weight: 600; }
tr.violating > * { background: #fde2e1; }
tr.violating td.changed { background: #f9c2c0; }
tr.in-cycle > th { box-shadow: inset 4px 0 0 #d4a017; }
tr.current > * { background: #e3efff; }
tr.current td.changed { background: #ffe58a; }
.badge { display: inline-block; margin-left: 4px; padding: 0 5px; border-radius: 8px; background: #fff1c2; color: #8a6500; font-size: 10.5px; }
table.coverage tr.dead > * { background: #fde2e1; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.explain { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; margin: 0; list-style: none; }
.explain li { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12.5px; white-space: pre-wrap; }
.explain .val { font-weight: 600; } .explain .note { color: var(--red); font-family: system-ui, sans-serif; font-size: 12px; }
`
