import { distance } from "fastest-levenshtein";

/**
 * The candidate nearest to `word` when it is near enough to be a slip of the keyboard: at most
 * two edits, or a third of the word's letters for longer words. Case is ignored.
 */
export function nearest(word: string, candidates: Iterable<string>): string | undefined {
    const limit = Math.max(2, Math.floor(word.length / 3));
    let best: { candidate: string; d: number } | undefined;
    for (const candidate of candidates) {
        const d = distance(word.toLowerCase(), candidate.toLowerCase());
        if (d <= limit && (!best || d < best.d)) best = { candidate, d };
    }
    return best?.candidate;
}

/** `did you mean "x"? ` for a near candidate, else an empty string: a prefix for "allowed: ...". */
export function didYouMean(word: string, candidates: Iterable<string>): string {
    const match = nearest(word, candidates);
    return match === undefined ? "" : `did you mean ${JSON.stringify(match)}? `;
}
