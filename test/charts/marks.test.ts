/**
 * performance.md caps the marks of a chart at 5,000: the line charts (ROAS, retention curves) and the
 * cohort heatmap draw up to that many and, past it, none, saying instead how many it would take and
 * which controls make fewer. The revenue page's stacked bars have no cap yet: the page has no bytes
 * left for it under its 40 kB budget (README, "Performance").
 */
import { expect } from '@open-wc/testing';
import { drawHeatmap, FUTURE } from '../../src/charts/heatmap.js';
import { drawLines } from '../../src/charts/lines.js';
import { MAX_MARKS } from '../../src/charts/marks.js';
import type { ChartTheme, TooltipHost } from '../../src/charts/theme.js';

const theme: ChartTheme = {
  series: ['#1f77b4', '#ff7f0e'],
  neutral: '#999999',
  text: '#111111',
  muted: '#666666',
  grid: '#dddddd',
  background: '#ffffff',
  accent: '#0055cc',
  sequentialLow: '#eeeeff',
  sequentialHigh: '#000066',
  fontFamily: 'sans-serif',
  fontSize: 12,
};
const tooltip: TooltipHost = { show: () => {}, hide: () => {} };

function svg(): SVGSVGElement {
  const element = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  document.body.appendChild(element);
  return element;
}

/** The focusable marks of a chart (bars, points, cells) and the text of its message, if any. */
function drawn(chart: SVGSVGElement): { marks: number; message: string; label: string } {
  return {
    marks: chart.querySelectorAll('[data-nav-row]').length,
    message: [...chart.querySelectorAll(':scope > g > text')].map((t) => t.textContent).join(' '),
    label: chart.getAttribute('aria-label') ?? '',
  };
}

const label = (n: number): string[] => Array.from({ length: n }, (_, i) => `day ${i + 1}`);
const ones = (n: number): Float64Array => new Float64Array(n).fill(1);

describe('the mark cap of every chart (5,000)', () => {
  afterEach(() => document.querySelectorAll('body > svg').forEach((s) => s.remove()));

  it('lines: a path per series and a point per value of each, bars included, up to 5,000', () => {
    const lines = (n: number, bars: boolean): SVGSVGElement => {
      const chart = svg();
      drawLines(chart, {
        width: 800,
        height: 300,
        points: label(n),
        series: [{ label: 'email', color: '#f00', values: ones(n) }, { label: 'sms', color: '#0f0', values: ones(n) }],
        bars: bars ? { series: [{ label: 'cost', color: '#00f', values: ones(n) }], format: String } : null,
        format: String,
        formatAxis: String,
        label: 'ROAS',
        theme,
        tooltip,
      });
      return chart;
    };
    expect(MAX_MARKS).to.equal(5000);
    // 2 paths + 2 × 2,499 points = 5,000
    expect(drawn(lines(2499, false)).marks).to.equal(4998);
    expect(drawn(lines(2499, false)).message).to.equal('');
    expect(drawn(lines(2500, false))).to.deep.equal({ marks: 0, message: 'Too many points to draw: 5002, at most 5000. Choose a longer period or a shorter range.', label: 'ROAS' });
    // the cost bars count too: 2 + 3 × 1,666 = 5,000 fits, 2 + 3 × 1,667 does not
    expect(drawn(lines(1666, true)).marks).to.equal(2 * 1666);
    expect(drawn(lines(1667, true)).marks).to.equal(0);
  });

  it('lines: faint series of more than 12 have no points, so only their paths count', () => {
    const chart = svg();
    const n = 400;
    const series = Array.from({ length: 20 }, (_, i) => ({ label: `cohort ${i}`, color: '#f00', values: ones(n), faint: true }));
    drawLines(chart, { width: 800, height: 300, points: label(n), series: [...series, { label: 'mean', color: '#000', values: ones(n), emphasis: true }], format: String, formatAxis: String, label: 'Curves', theme, tooltip });
    // 21 paths + 400 points of the mean
    expect(drawn(chart)).to.deep.equal({ marks: 400, message: '', label: 'Curves' });
  });

  it('heatmap: the cells of a triangle, future ones left out, and its summary rows; past 5,000 a short chart that says what to change', () => {
    const heatmap = (rows: number, columns: number): SVGSVGElement => {
      const chart = svg();
      drawHeatmap(chart, {
        width: 800,
        rows: Array.from({ length: rows }, (_, i) => ({ label: `c${i}`, size: '1' })),
        columns: label(columns),
        sizeHeader: 'Size',
        value: () => 0.5,
        text: () => '50%',
        // the last row's cells after the first are future: the triangle of the newest cohort
        status: (row, col) => (row === rows - 1 && col > 0 ? FUTURE : 0),
        tip: () => ({ title: '', rows: [] }),
        summaries: [{ label: 'Mean', value: () => 0.5, text: () => '50%', tip: () => ({ title: '', rows: [] }) }],
        domain: [0, 1],
        label: 'Retention',
        theme,
        tooltip,
      });
      return chart;
    };
    // 100 rows × 50 columns − 49 future + 50 summary cells = 5,001; 99 rows: 4,951
    expect(drawn(heatmap(99, 50)).marks).to.equal(4951);
    const over = heatmap(100, 50);
    expect(drawn(over).marks).to.equal(0);
    expect(drawn(over).message).to.equal('Too many cells to draw: 5001, at most 5000. Choose cohorts by a longer period, fewer periods or a shorter range.');
    expect(over.getAttribute('height')).to.equal('120');
  });

  it('breaks the message into lines that fit a narrow chart', () => {
    const chart = svg();
    drawLines(chart, { width: 350, height: 220, points: label(3000), series: [{ label: 'email', color: '#f00', values: ones(3000) }, { label: 'sms', color: '#0f0', values: ones(3000) }], format: String, formatAxis: String, label: 'ROAS', theme, tooltip });
    // 350 px: under 50 characters a line
    expect([...chart.querySelectorAll(':scope > g > text')].map((t) => [t.textContent, t.getAttribute('y')])).to.deep.equal([
      ['Too many points to draw: 6002, at most 5000.', '32'],
      ['Choose a longer period or a shorter range.', '52'],
    ]);
    const heatmap = svg();
    drawHeatmap(heatmap, { width: 300, rows: Array.from({ length: 200 }, () => ({ label: 'c', size: '1' })), columns: label(30), sizeHeader: 'Size', value: () => 1, text: () => '', status: () => 0, tip: () => ({ title: '', rows: [] }), summaries: [], domain: [0, 1], label: 'Retention', theme, tooltip });
    // 300 px: under 42 characters a line
    expect([...heatmap.querySelectorAll(':scope > g > text')].map((t) => t.textContent)).to.deep.equal([
      'Too many cells to draw: 6000, at most',
      '5000.',
      'Choose cohorts by a longer period, fewer',
      'periods or a shorter range.',
    ]);
  });
});
