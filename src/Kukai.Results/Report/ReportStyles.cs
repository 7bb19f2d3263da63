namespace Kukai.Results.Report;

/// <summary>The report's inline style sheet: light theme, system fonts (nothing to load), responsive grid of charts.</summary>
internal static class ReportStyles
{
    public const string Text = """

:root {
  --fg: #1f2937; --muted: #6b7280; --line: #e5e7eb; --bg: #f8fafc; --card: #ffffff;
  --ok: #15803d; --ok-bg: #dcfce7; --bad: #b91c1c; --bad-bg: #fee2e2; --warn: #b45309; --warn-bg: #fef3c7;
  --accent: #1d4ed8;
}
* { box-sizing: border-box; }
html { background: var(--bg); color: var(--fg); }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1400px; margin: 0 auto; padding: 20px 24px 40px; }
h1 { font-size: 24px; margin: 2px 0 8px; word-break: break-all; }
h2 { font-size: 18px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 14px; margin: 16px 0 6px; color: var(--muted); font-weight: 600; }
code, pre, .name { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 12.5px; }
.name { background: #f1f5f9; border-radius: 4px; padding: 0 4px; overflow-wrap: anywhere; }
.name.lost { background: var(--bad-bg); color: var(--bad); }
.brand { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .08em; }
header.top { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 16px 20px; }
.badges { display: flex; gap: 8px; flex-wrap: wrap; margin-bottom: 10px; }
.badge { display: inline-block; border-radius: 999px; padding: 2px 10px; font-size: 12px; font-weight: 600; background: #eef2ff; color: #3730a3; }
.verdict { font-size: 13px; text-transform: uppercase; letter-spacing: .04em; }
.verdict-passed { background: var(--ok-bg); color: var(--ok); }
.verdict-failed { background: var(--bad-bg); color: var(--bad); }
.verdict-partial { background: var(--warn-bg); color: var(--warn); }
.verdict-other { background: #e5e7eb; color: #374151; }
dl.meta { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 6px 24px; margin: 0; }
dl.meta > div { min-width: 0; }
dl.meta dt { color: var(--muted); font-size: 12px; }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }
details.names summary { cursor: pointer; color: var(--accent); }
details.plan { margin-top: 12px; }
details.plan summary { cursor: pointer; color: var(--accent); }
details.plan pre { background: #f8fafc; border: 1px solid var(--line); border-radius: 6px; padding: 10px; max-height: 420px; overflow: auto; white-space: pre-wrap; overflow-wrap: anywhere; }
.kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(140px, 1fr)); gap: 12px; margin: 16px 0 0; }
.kpi { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 10px 14px; }
.kpi-v { font-size: 22px; font-weight: 650; font-variant-numeric: tabular-nums; }
.kpi-l { color: var(--muted); font-size: 12px; }
.kpi.bad .kpi-v { color: var(--bad); }
.notes { margin-top: 14px; }
.note { margin: 6px 0; padding: 8px 12px; border-radius: 8px; background: #eff6ff; border: 1px solid #bfdbfe; }
.note.warn { background: var(--warn-bg); border-color: #fcd34d; }
.small { color: var(--muted); font-size: 12.5px; }
.scroll { overflow-x: auto; background: var(--card); border: 1px solid var(--line); border-radius: 8px; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: 5px 10px; text-align: right; white-space: nowrap; border-bottom: 1px solid var(--line); }
thead th { font-size: 12px; color: var(--muted); font-weight: 600; background: #f8fafc; position: sticky; top: 0; }
th.rowname { text-align: left; font-weight: 600; min-width: 12em; max-width: 26em; white-space: normal; overflow-wrap: anywhere; }
tr.group th { text-align: left; background: #f1f5f9; color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .05em; }
tbody tr:hover td, tbody tr:hover th.rowname { background: #f8fafc; }
td.bad { color: var(--bad); font-weight: 600; }
td.warn { color: var(--warn); }
.tag { font-size: 11px; border-radius: 4px; padding: 0 5px; }
.tag.lost { background: var(--bad-bg); color: var(--bad); }
table.thresholds { background: var(--card); border: 1px solid var(--line); border-radius: 8px; width: auto; min-width: 50%; }
table.thresholds th:first-child { text-align: left; }
table.thresholds td.expr { text-align: left; font-family: ui-monospace, Menlo, Consolas, monospace; white-space: normal; overflow-wrap: anywhere; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 520px), 1fr)); gap: 16px; }
figure.chart { margin: 0; background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 10px 12px 8px; min-width: 0; }
figure.chart.wide { grid-column: 1 / -1; }
figcaption { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 10px; margin-bottom: 6px; }
figcaption .title { font-weight: 650; }
figcaption .sub { color: var(--muted); font-size: 12px; flex: 1 1 16em; }
.logt { font-size: 12px; color: var(--muted); cursor: pointer; user-select: none; }
.plot { position: relative; }
.plot canvas { display: block; width: 100%; height: 280px; }
.cross { position: absolute; top: 0; width: 1px; background: rgba(17, 24, 39, .35); pointer-events: none; }
.tip { position: absolute; pointer-events: none; background: rgba(17, 24, 39, .92); color: #fff; border-radius: 6px; padding: 6px 8px; font-size: 12px; line-height: 1.35; white-space: nowrap; z-index: 2; max-width: 420px; overflow: hidden; }
.tip .sw, .legend .sw { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 5px; vertical-align: -1px; }
.tip b { font-weight: 600; }
.legend { display: flex; flex-wrap: wrap; gap: 2px 12px; font-size: 12px; margin-top: 4px; max-height: 96px; overflow-y: auto; }
.legend button { all: unset; cursor: pointer; color: var(--fg); overflow-wrap: anywhere; }
.legend button.off { color: #9ca3af; text-decoration: line-through; }
.legend .band { background: rgba(245, 158, 11, .28); }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
@media (max-width: 640px) { main { padding: 12px; } .plot canvas { height: 230px; } }
@media print { .logt { display: none; } figure.chart { break-inside: avoid; } }

""";
}
