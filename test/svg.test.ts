import { describe, expect, it } from 'vitest';
import { el, escapeXml, niceStep, num, svgDocument, text } from '../src/svg.js';

describe('svg writer', () => {
  it('escapes text and attribute values', () => {
    expect(escapeXml(`a<b>&"c"`)).toBe('a&lt;b&gt;&amp;&quot;c&quot;');
    expect(text(1, 2, '<x>')).toBe('<text x="1" y="2">&lt;x&gt;</text>');
    expect(el('rect', { x: 1.26, title: 'a"b', skip: undefined })).toBe('<rect x="1.3" title="a&quot;b"/>');
    expect(el('g', {}, '<line/>')).toBe('<g><line/></g>');
  });

  it('numbers: one decimal, no -0', () => {
    expect(num(-0.01)).toBe('0');
    expect(num(3)).toBe('3');
    expect(num(2.449)).toBe('2.4');
  });

  it('a document has the size, a white background and the parts in order', () => {
    const s = svgDocument(100, 50, [el('line', { x1: 0 }), text(0, 0, 'hi')]);
    expect(s.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50" viewBox="0 0 100 50"')).toBe(true);
    expect(s.indexOf('fill="white"')).toBeLessThan(s.indexOf('<line'));
    expect(s.indexOf('<line')).toBeLessThan(s.indexOf('>hi<'));
    expect(s.trimEnd().endsWith('</svg>')).toBe(true);
  });

  it('niceStep gives 1, 2 or 5 × 10^k near the target tick count', () => {
    expect(niceStep(10)).toBe(2);
    expect(niceStep(100, 5)).toBe(20);
    expect(niceStep(0)).toBe(1);
    for (const r of [0.3, 7, 55, 1234, 9e6]) {
      const s = niceStep(r);
      const lead = s / 10 ** Math.floor(Math.log10(s) + 1e-9);
      expect([1, 2, 5, 10].some((x) => Math.abs(lead - x) < 1e-9)).toBe(true);
      expect(r / s).toBeGreaterThan(1.5);
      expect(r / s).toBeLessThan(15);
    }
  });
});
