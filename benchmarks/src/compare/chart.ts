import { type Case, caseLabel, type Subject } from './cases.js';
import type { Results } from './results.js';

const WIDTH = 760;
const ROW = 22;
const LABEL = 150;
const BAR_MAX = 470;

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

interface Bar {
  readonly label: string;
  readonly values: readonly { value: number | undefined; color: string; text: string }[];
}

/** One horizontal bar panel: a title, a legend, then a group of bars per subject. */
function panel(
  title: string,
  legend: readonly { name: string; color: string }[],
  bars: readonly Bar[],
  top: number,
): { svg: string; height: number } {
  const max = Math.max(1e-9, ...bars.flatMap((bar) => bar.values.map((v) => v.value ?? 0)));
  const parts: string[] = [`<text x="10" y="${top + 18}" font-size="15" font-weight="bold">${escape(title)}</text>`];
  legend.forEach((entry, i) => {
    parts.push(`<rect x="${LABEL + i * 120}" y="${top + 28}" width="12" height="12" fill="${entry.color}"/>`);
    parts.push(`<text x="${LABEL + i * 120 + 16}" y="${top + 39}" font-size="12">${escape(entry.name)}</text>`);
  });
  let y = top + 52;
  for (const bar of bars) {
    parts.push(
      `<text x="${LABEL - 8}" y="${y + (ROW * bar.values.length) / 2 + 4}" font-size="12" text-anchor="end">${escape(bar.label)}</text>`,
    );
    for (const v of bar.values) {
      const width = v.value === undefined ? 0 : Math.max(1, (v.value / max) * BAR_MAX);
      parts.push(`<rect x="${LABEL}" y="${y + 3}" width="${width.toFixed(1)}" height="${ROW - 6}" fill="${v.color}"/>`);
      parts.push(
        `<text x="${LABEL + width + 6}" y="${y + ROW - 7}" font-size="11">${escape(v.value === undefined ? 'not run' : v.text)}</text>`,
      );
      y += ROW;
    }
    y += 6;
  }
  return { svg: parts.join('\n'), height: y - top + 10 };
}

/**
 * An SVG chart (no dependency) of the first round-trip case's p50 and p99 per subject and of the
 * first stream case's throughput per subject.
 */
export function renderChart(
  results: Results,
  subjects: readonly Subject[],
  cases: readonly Case[],
  caption: string,
): string {
  const panels: string[] = [];
  let top = 10;
  const roundtrip = cases.find((x) => x.suite === 'roundtrip');
  if (roundtrip !== undefined) {
    const label = caseLabel(roundtrip);
    const bars = subjects.map((s) => {
      const p50 = results.get(s.name, 'roundtrip', label, 'p50');
      const p99 = results.get(s.name, 'roundtrip', label, 'p99');
      return {
        label: s.name,
        values: [
          { value: p50, color: '#3b6fb6', text: `${p50?.toFixed(1)} µs` },
          { value: p99, color: '#a9c4ea', text: `${p99?.toFixed(1)} µs` },
        ],
      };
    });
    const drawn = panel(
      `Round trip, ${label} (lower is better)`,
      [
        { name: 'p50', color: '#3b6fb6' },
        { name: 'p99', color: '#a9c4ea' },
      ],
      bars,
      top,
    );
    panels.push(drawn.svg);
    top += drawn.height;
  }
  const stream = cases.find((x) => x.suite === 'stream');
  if (stream !== undefined) {
    const label = caseLabel(stream);
    const bars = subjects.map((s) => {
      const rate = results.get(s.name, 'stream', label, 'throughput');
      return {
        label: s.name,
        values: [
          {
            value: rate,
            color: '#3d9a5b',
            text: rate === undefined ? '' : `${Math.round(rate).toLocaleString('en-US')} msg/s`,
          },
        ],
      };
    });
    const drawn = panel(
      `One-way throughput, ${label} (higher is better)`,
      [{ name: 'messages/s', color: '#3d9a5b' }],
      bars,
      top,
    );
    panels.push(drawn.svg);
    top += drawn.height;
  }
  panels.push(`<text x="10" y="${top + 8}" font-size="11" fill="#555">${escape(caption)}</text>`);
  const height = top + 20;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif">\n<rect width="100%" height="100%" fill="white"/>\n${panels.join('\n')}\n</svg>\n`;
}
