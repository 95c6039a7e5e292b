// A dependency-free SVG bar chart: one panel per measure (query time, creation time, bytes on
// disk), one horizontal bar per flavor, coloured by group, value printed at the bar's end.

/** Fill colour per flavor group. @type {Record<string, string>} */
const COLORS = { raw: "#7f7f7f", zlib: "#bcbd22", colz: "#1f77b4", arrow: "#ff7f0e", zarrita: "#2ca02c" };

/** @param {string} s */
function esc(s) {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/**
 * @typedef {object} Panel
 * @property {string} title
 * @property {(row: any) => number | undefined} value
 * @property {(v: number) => string} fmt
 */

/**
 * @param {{ title: string, rows: Array<{ name: string, group: string }>, panels: Panel[] }} spec
 * @returns {string} a standalone <svg> element
 */
export function barChart({ title, rows, panels }) {
  const labelW = 150;
  const panelW = 230;
  const gap = 20;
  const barH = 14;
  const rowH = 18;
  const top = 48;
  const width = labelW + panels.length * (panelW + gap);
  const height = top + rows.length * rowH + 28;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="8" y="16" font-size="13" font-weight="bold">${esc(title)}</text>`,
  ];
  rows.forEach((r, i) => {
    const y = top + i * rowH + barH - 3;
    out.push(`<text x="${labelW - 6}" y="${y}" text-anchor="end">${esc(r.name)}</text>`);
  });
  panels.forEach((p, pi) => {
    const x0 = labelW + pi * (panelW + gap);
    const values = rows.map((r) => p.value(r));
    const finite = values.filter((v) => v !== undefined && Number.isFinite(v)).map(Number);
    // One outlier (zlib level 9 creates 100x slower than the rest) would flatten every other bar:
    // the axis stops at 4x the median and longer bars are drawn broken, with their true value.
    const sorted = [...finite].sort((a, b) => a - b);
    const mid = sorted.length ? sorted[sorted.length >> 1] : 0;
    const max = Math.min(Math.max(0, ...finite), mid > 0 ? mid * 4 : Number.POSITIVE_INFINITY);
    const scale = max > 0 ? (panelW - 60) / max : 0;
    out.push(`<text x="${x0}" y="${top - 10}" font-weight="bold">${esc(p.title)}</text>`);
    out.push(`<line x1="${x0}" y1="${top - 4}" x2="${x0}" y2="${top + rows.length * rowH}" stroke="#999"/>`);
    rows.forEach((r, i) => {
      const v = values[i];
      const y = top + i * rowH;
      if (v === undefined || !Number.isFinite(v)) {
        out.push(`<text x="${x0 + 4}" y="${y + barH - 3}" fill="#c00">n/a</text>`);
        return;
      }
      const clipped = v > max;
      const w = Math.max(1, Math.min(v, max) * scale);
      out.push(
        `<rect x="${x0}" y="${y}" width="${w.toFixed(1)}" height="${barH}" fill="${COLORS[r.group] ?? "#999"}"/>`,
      );
      if (clipped) {
        const bx = x0 + w - 12;
        out.push(
          `<path d="M${bx} ${y + barH + 1} l4 ${-barH - 2} M${bx + 5} ${y + barH + 1} l4 ${-barH - 2}" stroke="white" stroke-width="2"/>`,
        );
      }
      out.push(`<text x="${(x0 + w + 4).toFixed(1)}" y="${y + barH - 3}">${esc(p.fmt(v))}</text>`);
    });
  });
  const legendY = height - 10;
  let lx = 8;
  for (const [group, color] of Object.entries(COLORS)) {
    if (!rows.some((r) => r.group === group)) continue;
    out.push(`<rect x="${lx}" y="${legendY - 9}" width="10" height="10" fill="${color}"/>`);
    out.push(`<text x="${lx + 14}" y="${legendY}">${group}</text>`);
    lx += 24 + group.length * 7;
  }
  out.push("</svg>");
  return out.join("\n");
}
