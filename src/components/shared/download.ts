/** Saves text or a blob as a file through a temporary link (no network request involved). */
export function download(name: string, content: string | Blob, type = 'text/plain'): void {
  const blob = typeof content === 'string' ? new Blob([content], { type }) : content;
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A file name from a widget name and the date: `crm-revenue-2024-03-01.csv`. */
export function fileName(base: string, extension: string): string {
  return `${base}-${new Date().toISOString().slice(0, 10)}.${extension}`;
}
