/**
 * A grouped bar chart as a standalone SVG: one group per backend, one bar per
 * implementation, on a logarithmic axis (the values span three orders of magnitude).
 */

const WIDTH = 820;
const HEIGHT = 420;
const MARGIN = { top: 62, right: 20, bottom: 78, left: 64 };
const FONT = "font-family=\"system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif\"";

const escapeXml = (text) => String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Shortest readable form of a figure: 3 significant digits, no exponent. */
export function formatMs(ms) {
  if (ms >= 100) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  if (ms >= 1) return ms.toFixed(2);
  return ms.toPrecision(2);
}

/**
 * @param {object} chart
 * @param {string} chart.title
 * @param {string} chart.subtitle
 * @param {string} chart.unit                  label of the value axis
 * @param {string[]} chart.groups              group labels, left to right
 * @param {{ label: string, color: string, values: (number|null)[], ranges: ([number, number]|null)[] }[]} chart.series
 *   one value per group (null: not measured) and the lowest–highest sample drawn as a whisker
 */
export function groupedBarChartSvg({ title, subtitle, unit, groups, series }) {
  const values = series.flatMap((s) => [...s.values, ...s.ranges.flat()]).filter((v) => v != null && v > 0);
  const smallest = Math.log10(Math.min(...values));
  // A decade of room under the smallest bar when it would sit on the axis.
  const lo = Math.floor(smallest) - (smallest - Math.floor(smallest) < 0.3 ? 1 : 0);
  const hi = Math.ceil(Math.log10(Math.max(...values)));
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const y = (v) => MARGIN.top + plotH - ((Math.log10(v) - lo) / Math.max(1, hi - lo)) * plotH;
  const out = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeXml(title)}">`);
  out.push(`<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`);
  out.push(`<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="16" font-weight="600" ${FONT} fill="#111">${escapeXml(title)}</text>`);
  out.push(`<text x="${WIDTH / 2}" y="39" text-anchor="middle" font-size="11" ${FONT} fill="#555">${escapeXml(subtitle)}</text>`);

  // Decade grid lines and labels.
  for (let d = lo; d <= hi; d++) {
    const v = 10 ** d;
    const gy = y(v).toFixed(1);
    out.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${gy}" y2="${gy}" stroke="#e3e3e3"/>`);
    out.push(`<text x="${MARGIN.left - 8}" y="${gy}" dy="4" text-anchor="end" font-size="11" ${FONT} fill="#555">${escapeXml(String(Number(v.toPrecision(1))))}</text>`);
  }
  const midY = MARGIN.top + plotH / 2;
  out.push(`<text x="16" y="${midY}" transform="rotate(-90 16 ${midY})" text-anchor="middle" font-size="12" ${FONT} fill="#333">${escapeXml(unit)} (log scale)</text>`);

  const groupW = plotW / groups.length;
  const barW = Math.min(44, (groupW * 0.8) / series.length);
  groups.forEach((group, g) => {
    const present = series.map((s, i) => ({ s, i })).filter(({ s }) => s.values[g] != null);
    const x0 = MARGIN.left + g * groupW + (groupW - present.length * barW) / 2;
    present.forEach(({ s }, k) => {
      const v = s.values[g];
      const x = x0 + k * barW;
      const top = y(v);
      const bottom = MARGIN.top + plotH;
      out.push(`<rect x="${(x + 2).toFixed(1)}" y="${top.toFixed(1)}" width="${(barW - 4).toFixed(1)}" height="${(bottom - top).toFixed(1)}" fill="${s.color}"><title>${escapeXml(`${s.label}, ${group}: ${formatMs(v)} ${unit}`)}</title></rect>`);
      const range = s.ranges[g];
      const cx = (x + barW / 2).toFixed(1);
      let labelY = top;
      if (range) {
        const [yLow, yHigh] = [y(range[0]), y(range[1])];
        out.push(`<path d="M${cx} ${yLow.toFixed(1)}V${yHigh.toFixed(1)}M${(x + barW / 2 - 4).toFixed(1)} ${yLow.toFixed(1)}h8M${(x + barW / 2 - 4).toFixed(1)} ${yHigh.toFixed(1)}h8" stroke="#333" stroke-width="1"/>`);
        labelY = Math.min(top, yHigh);
      }
      out.push(`<text x="${cx}" y="${(labelY - 4).toFixed(1)}" text-anchor="middle" font-size="10" ${FONT} fill="#222">${escapeXml(formatMs(v))}</text>`);
    });
    out.push(`<text x="${(MARGIN.left + g * groupW + groupW / 2).toFixed(1)}" y="${MARGIN.top + plotH + 18}" text-anchor="middle" font-size="13" ${FONT} fill="#111">${escapeXml(group)}</text>`);
  });
  out.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${MARGIN.top + plotH}" y2="${MARGIN.top + plotH}" stroke="#888"/>`);

  // Legend, one row under the axis.
  const legendY = HEIGHT - 22;
  const itemW = plotW / series.length;
  series.forEach((s, i) => {
    const lx = MARGIN.left + i * itemW;
    out.push(`<rect x="${lx.toFixed(1)}" y="${legendY - 10}" width="12" height="12" fill="${s.color}"/>`);
    out.push(`<text x="${(lx + 17).toFixed(1)}" y="${legendY}" font-size="12" ${FONT} fill="#222">${escapeXml(s.label)}</text>`);
  });
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}
