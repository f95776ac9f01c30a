/**
 * Chart export: the SVG as a standalone file (charts draw with presentation attributes, so it needs no
 * stylesheet), and a PNG rendered from it. A page whose Content-Security-Policy forbids `blob:`
 * images cannot make the PNG; the error says so and the SVG still works.
 */

/** The chart as SVG text, with a background so it reads on any page. */
export function svgMarkup(svg: SVGSVGElement, background: string): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  const rect = copy.ownerDocument.createElementNS('http://www.w3.org/2000/svg', 'rect');
  rect.setAttribute('width', '100%');
  rect.setAttribute('height', '100%');
  rect.setAttribute('fill', background);
  copy.insertBefore(rect, copy.firstChild);
  for (const node of copy.querySelectorAll('[tabindex]')) node.removeAttribute('tabindex');
  return new XMLSerializer().serializeToString(copy);
}

/** The chart as a PNG at `scale` × its size. */
export async function pngBlob(svg: SVGSVGElement, background: string, scale = 2): Promise<Blob> {
  const width = Number(svg.getAttribute('width'));
  const height = Number(svg.getAttribute('height'));
  const url = URL.createObjectURL(new Blob([svgMarkup(svg, background)], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    try {
      await image.decode();
    } catch {
      throw new Error("The chart could not be drawn as an image: this page's Content-Security-Policy probably forbids blob: images (img-src). Export SVG instead.");
    }
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const context = canvas.getContext('2d')!;
    context.scale(scale, scale);
    context.drawImage(image, 0, 0, width, height);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((blob) => (blob !== null ? resolve(blob) : reject(new Error('The browser could not encode the PNG.'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}
