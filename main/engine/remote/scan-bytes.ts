/**
 * Sizes of a scan and its limit: as AWS bills them, in decimal units (`1.5 GB`), or in binary units
 * (`1.5 GiB`) where the analyst wrote the limit so; read and written here, in a module of its own so the
 * command line can use it without loading the remote engines and their AWS SDK clients.
 */

export type ByteUnits = 'decimal' | 'binary';

const NAMES: Record<ByteUnits, { step: number; units: string[] }> = {
  decimal: { step: 1000, units: ['bytes', 'KB', 'MB', 'GB', 'TB', 'PB'] },
  binary: { step: 1024, units: ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] },
};

export function formatBytes(bytes: number, units: ByteUnits = 'decimal'): string {
  const { step, units: names } = NAMES[units];
  let v = bytes;
  let u = 0;
  while (v >= step && u < names.length - 1) {
    v /= step;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(v < 10 ? 1 : 0)} ${names[u]}`;
}

/**
 * A size as written: `15MB` (decimal, 15,000,000 bytes), `16 MiB` (binary, 16,777,216), `1.5TB`, a number of
 * bytes; the unit's case is free. Null for anything else.
 */
export function parseBytes(text: string): { bytes: number; units: ByteUnits } | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:([KMGTP])(i)?B?|B)?\s*$/i.exec(text);
  if (!m) return null;
  const power = m[2] ? 'KMGTP'.indexOf(m[2].toUpperCase()) + 1 : 0;
  const units: ByteUnits = m[3] ? 'binary' : 'decimal';
  return { bytes: Math.round(Number(m[1]) * NAMES[units].step ** power), units };
}

/**
 * An estimate and the limit it passed, in the limit's units; where both read alike when rounded (`15 MB` over
 * `15 MB`), each with its bytes, so the refusal shows the difference.
 */
export function overLimit(estimate: number, limit: number, units: ByteUnits): { estimate: string; limit: string } {
  const [e, l] = [formatBytes(estimate, units), formatBytes(limit, units)];
  if (e !== l) return { estimate: e, limit: l };
  const exact = (n: number) => `${n.toLocaleString('en-US')} bytes`;
  return { estimate: `${e} (${exact(estimate)})`, limit: `${l} (${exact(limit)})` };
}
