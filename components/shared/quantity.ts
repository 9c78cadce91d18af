/**
 * Kubernetes resource quantities (`500m`, `2`, `16Gi`, `1.5G`, `1e3`), parsed to base units:
 * cores for CPU, bytes for memory and storage. The grammar is the apimachinery one; anything
 * else, such as `10Gb` or `1 Gi`, is rejected rather than guessed.
 */

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
const PATTERN = /^([+-]?(?:\d+\.?\d*|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

/** The quantity's value in base units, or `undefined` when it is not a valid quantity. */
export function parseQuantity(text: string | number): number | undefined {
    if (typeof text === "number") return Number.isFinite(text) ? text : undefined;
    const match = PATTERN.exec(text);
    if (!match) return undefined;
    const [, number, suffix = ""] = match;
    const value = Number(number);
    if (suffix in BINARY) return value * BINARY[suffix];
    if (suffix in DECIMAL) return value * DECIMAL[suffix];
    return value * 10 ** Number(suffix.slice(1));
}

/** Bytes as a short binary quantity for messages: `512Mi`, `16Gi`. */
export function formatBytes(bytes: number): string {
    for (const unit of ["Ei", "Pi", "Ti", "Gi", "Mi", "Ki"]) {
        if (bytes >= BINARY[unit] && bytes % BINARY[unit] === 0) return `${bytes / BINARY[unit]}${unit}`;
    }
    return String(bytes);
}
