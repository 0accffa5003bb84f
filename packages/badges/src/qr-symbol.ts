import QRCode from 'qrcode';

/** The ISO 18004 minimum; scanners fail noticeably more often with less. */
export const QR_QUIET_ZONE = 4;

export interface QrSymbol {
  /** Modules per side, quiet zone included: the symbol's viewBox is `0 0 size size`. */
  readonly size: number;
  readonly version: number;
  /** Every dark module, as one path in module units. */
  readonly path: string;
}

/**
 * Level M (15 % recovery) rather than Q: a badge token is long, and Q would need a denser symbol
 * whose smaller modules hurt reading at arm's length more than the extra redundancy helps.
 */
export function qrSymbol(text: string, errorCorrectionLevel: 'M' | 'Q' = 'M'): QrSymbol {
  const qr = QRCode.create(text, { errorCorrectionLevel });
  const { size, data } = qr.modules;
  let path = '';
  for (let row = 0; row < size; row++) {
    let col = 0;
    while (col < size) {
      if (!data[row * size + col]) {
        col++;
        continue;
      }
      const start = col;
      while (col < size && data[row * size + col]) col++;
      // One rectangle per horizontal run keeps the path short and every edge on the module grid.
      path += `M${start + QR_QUIET_ZONE} ${row + QR_QUIET_ZONE}h${col - start}v1h${start - col}z`;
    }
  }
  return { size: size + 2 * QR_QUIET_ZONE, version: qr.version, path };
}
