// The first difference between two results as JSON payloads (counts and names exactly, numbers to a
// relative 1e-9), or null: the oracle test and the benchmark's cross-engine checksums both use it.

export function payloadDifference(a: unknown, b: unknown, path = '', names: [string, string] = ['engine', 'SQL']): string | null {
  const [left, right] = names;
  if (typeof a === 'number' && typeof b === 'number') {
    return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b)) ? null : `${path}: ${left} ${a}, ${right} ${b}`;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${path}: ${left} has ${a.length} items, ${right} ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const d = payloadDifference(a[i], b[i], `${path}[${i}]`, names);
      if (d !== null) return d;
    }
    return null;
  }
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) {
      const d = payloadDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}.${key}`, names);
      if (d !== null) return d;
    }
    return null;
  }
  return a === b ? null : `${path}: ${left} ${JSON.stringify(a)}, ${right} ${JSON.stringify(b)}`;
}
