/** The matrix as a text table (stdout), JSON, and a self-contained HTML page. */
import { CELL_STATES, showValue, type Cell, type CellState, type ParityMatrix } from "./model";

const MARK: Readonly<Record<CellState, string>> = { equal: " ", declared: "~", gap: "g", drift: "!" };
const LABEL: Readonly<Record<CellState, string>> = { equal: "equal", declared: "declared difference", gap: "cloud gap", drift: "undeclared drift" };

const cellAt = (m: ParityMatrix, capability: string, property: string, environment: string, cloud: string): Cell | undefined =>
  m.cells.find((c) => c.capability === capability && c.property === property && c.environment === environment && c.cloud === cloud);

export function summary(m: ParityMatrix): string {
  return `parity: ${m.cells.length} cells: ${CELL_STATES.map((s) => `${m.counts[s]} ${LABEL[s]}`).join(", ")}`;
}

/** One row per property and environment, one column per cloud; a mark after each value. */
export function renderText(m: ParityMatrix): string {
  const lines: string[] = [];
  const legend = CELL_STATES.filter((s) => s !== "equal").map((s) => `${MARK[s]} ${LABEL[s]}`).join("   ");
  for (const capability of m.capabilities) {
    const rows = capability.properties.flatMap((p) =>
      m.environments.map((e) => [
        p.label,
        e,
        ...m.clouds.map((c) => {
          const cell = cellAt(m, capability.id, p.id, e, c);
          return cell ? `${showValue(cell.value)} ${MARK[cell.state]}` : "";
        }),
      ]),
    );
    const header = ["property", "env", ...m.clouds];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (r: string[]) => r.map((v, i) => v.padEnd(widths[i])).join("  ").trimEnd();
    lines.push(`== ${capability.title}`, line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line), "");
  }
  const notable = m.cells.filter((c) => c.state === "drift");
  if (notable.length) {
    lines.push("Undeclared drift:");
    for (const c of notable) lines.push(`  ${c.capability}.${c.property} ${c.stack}: ${showValue(c.value)}: ${c.note} [${c.addresses.join(", ") || "no resource"}]`);
    lines.push("");
  }
  lines.push(legend, summary(m), "");
  return lines.join("\n");
}

export function renderJson(m: ParityMatrix): string {
  return `${JSON.stringify({ counts: m.counts, environments: m.environments, clouds: m.clouds, capabilities: m.capabilities.map(({ id, title, properties }) => ({ id, title, properties: properties.map(({ id, label, knob }) => ({ id, label, knob })) })), cells: m.cells.map((c) => ({ ...c, display: showValue(c.value) })) }, null, 2)}\n`;
}

const escape = (text: string) => text.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch] ?? ch);

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1d1d1f;background:#fff}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px}
.legend span,.count{display:inline-block;padding:2px 8px;margin-right:8px;border-radius:4px}
table{border-collapse:collapse;margin-bottom:8px}th,td{border:1px solid #d0d0d5;padding:4px 10px;text-align:left}
th{background:#f2f2f5;font-weight:600}td.env{color:#555}tr.first td{border-top:2px solid #888}
.equal{background:#e3f4e1}.declared{background:#dde8fb}.gap{background:#fdf0c8}.drift{background:#f9c9c4;font-weight:600}
td.cell{min-width:90px;cursor:help}details{margin:4px 0 0}ul{margin:4px 0 0 0;padding-left:18px}li{margin:2px 0}
code{font-size:12px}`;

/** A grid per capability: rows property × environment, columns clouds; the note and the addresses on hover and listed below. */
export function renderHtml(m: ParityMatrix, source: string): string {
  const legend = CELL_STATES.map((s) => `<span class="${s}">${LABEL[s]}: ${m.counts[s]}</span>`).join("");
  const grids = m.capabilities.map((capability) => {
    const rows = capability.properties.flatMap((p) =>
      m.environments.map((e, i) => {
        const cells = m.clouds.map((c) => {
          const cell = cellAt(m, capability.id, p.id, e, c);
          if (!cell) return `<td></td>`;
          const title = [LABEL[cell.state], cell.note, ...cell.addresses].filter(Boolean).join("\n");
          return `<td class="cell ${cell.state}" data-capability="${escape(cell.capability)}" data-property="${escape(cell.property)}" data-environment="${e}" data-cloud="${c}" data-state="${cell.state}" title="${escape(title)}">${escape(showValue(cell.value))}</td>`;
        });
        const head = i === 0 ? `<th rowspan="${m.environments.length}">${escape(p.label)}</th>` : "";
        return `<tr${i === 0 ? ' class="first"' : ""}>${head}<td class="env">${e}</td>${cells.join("")}</tr>`;
      }),
    );
    const details = m.cells
      .filter((c) => c.capability === capability.id && c.state !== "equal")
      .map((c) => `<li class="${c.state}" data-detail="${c.state}"><b>${escape(capability.properties.find((p) => p.id === c.property)?.label ?? c.property)}</b> ${c.stack}: ${escape(showValue(c.value))} — ${escape(c.note)} <code>${escape(c.addresses.join(", ") || "no resource")}</code></li>`);
    return `<section data-capability="${escape(capability.id)}"><h2>${escape(capability.title)}</h2>
<table class="grid"><thead><tr><th>property</th><th>environment</th>${m.clouds.map((c) => `<th>${c}</th>`).join("")}</tr></thead><tbody>${rows.join("")}</tbody></table>
${details.length ? `<details${details.some((d) => d.includes('class="drift"')) ? " open" : ""}><summary>${details.length} cells not plain equal: why, and where</summary><ul>${details.join("")}</ul></details>` : ""}</section>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Siros parity report</title><style>${STYLE}</style></head>
<body><h1>Siros parity report</h1><p>Capabilities read from the synthesized stacks in <code>${escape(source)}</code>; hover a cell for why it is coloured and the resources it was read from.</p>
<p class="legend" id="legend">${legend}</p>
${grids.join("\n")}
</body></html>
`;
}
