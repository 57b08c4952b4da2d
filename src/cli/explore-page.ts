/** The explorer's page; `web/explorer.ts` (served as /explorer.js) fills it in. */
export const EXPLORER_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>weft explore</title>
<style>
main.explorer { max-width: none; }
.layout { display: grid; grid-template-columns: minmax(280px, 340px) 1fr; gap: 24px; align-items: start; }
aside { position: sticky; top: 12px; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; }
aside h2 { margin: 12px 0 8px; display: flex; justify-content: space-between; align-items: baseline; }
aside h2:first-of-type { margin-top: 4px; }
#enabled-count { font-size: 12px; font-weight: 400; color: var(--muted); }
.toolbar { display: flex; gap: 8px; }
button { font: inherit; cursor: pointer; border-radius: 6px; border: 1px solid #b9c4d0; background: #f4f7fa; padding: 5px 10px; color: var(--fg); }
button:hover:not(:disabled) { background: #e6edf5; }
button:disabled { opacity: .45; cursor: default; }
#find { width: 100%; background: #263445; color: #fff; border-color: #263445; }
#find:hover { background: #33475e; }
#actions { display: flex; flex-direction: column; gap: 6px; max-height: 56vh; overflow-y: auto; }
button.action { display: grid; grid-template-columns: auto 1fr auto; grid-template-rows: auto auto; column-gap: 8px; text-align: left; background: #eef3fa; border-color: #c5d3e6; }
button.action .who { font-weight: 650; white-space: nowrap; }
button.action .what { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12.5px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
button.action .loc { grid-column: 1 / 3; }
button.action .fails { grid-row: 1; grid-column: 3; color: var(--red); font-size: 11px; font-weight: 600; }
button.action.failing { background: #fdecec; border-color: #eab2b2; }
label.file { display: block; margin-top: 10px; font-size: 12.5px; color: var(--muted); }
label.file input { display: block; margin-top: 4px; font-size: 12px; }
.status { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; margin: 0 0 14px; min-height: 28px; }
.status code { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 2px 8px; }
.pill { background: #263445; color: #fff; border-radius: 10px; padding: 1px 9px; font-size: 12px; }
.bad { color: var(--red); font-weight: 600; } .ok { color: var(--green); font-weight: 600; } .info { color: #2f5d9b; }
.muted { color: var(--muted); }
pre.bad { white-space: pre-wrap; font-weight: 400; background: #fff; padding: 12px; border-radius: 8px; border: 1px solid var(--line); }
table.state { width: auto; min-width: 320px; }
table.state th { color: var(--fg); font-weight: 600; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12.5px; }
table.state td { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; white-space: pre-wrap; }
#state { background: #fff; border: 1px solid var(--line); border-radius: 8px; display: inline-block; }
#invariants { list-style: none; padding: 0; margin: 8px 0 0; display: flex; gap: 14px; flex-wrap: wrap; }
</style></head>
<body><main class="explorer">
<header><h1 id="model-name">loading…</h1><p class="sub">weft explore · <span id="model-lang"></span></p></header>
<div id="status" class="status"></div>
<div class="layout">
<aside>
<div class="toolbar"><button id="back" title="undo the last step">← Back</button><button id="restart">Restart</button></div>
<h2>Actions <span id="enabled-count"></span></h2>
<div id="actions"></div>
<h2>Counterexamples</h2>
<button id="find">Find a counterexample</button>
<label class="file">Load an ITF trace (from --trace-out)<input type="file" id="itf" accept=".json,application/json"></label>
</aside>
<section>
<h2 style="margin-top:0">State</h2>
<div id="state"></div>
<ul id="invariants"></ul>
<h2>Sequence diagram</h2>
<div id="msc" class="diagram"></div>
<h2>Trace</h2>
<div id="trace"></div>
</section>
</div>
</main>
<script type="module" src="/explorer.js"></script>
</body></html>
`
