// Consensus arithmetic: retarget, subsidy halving, timestamp window. Pure functions.
import { DIFFICULTY_INTERVAL, HALVING_INTERVAL, INITIAL_SUBSIDY } from '../constants.js';
import { ValidationError } from '../errors.js';
import { bitsToTarget, targetToBits } from './header.js';
/** A block may be stamped at most this far ahead of the validating node's clock. */
export const MAX_FUTURE_MS = 2 * 60 * 1000;
/** True when the block at `height` gets a new target (every DIFFICULTY_INTERVAL blocks, not genesis). */
export const isRetargetHeight = (height) => height > 0 && height % DIFFICULTY_INTERVAL === 0;
/** Profile's start target: the easiest target the chain may ever have. */
export function maxTarget(profile) {
    const t = bitsToTarget(profile.startBits);
    if (t === undefined)
        throw new Error(`profile ${profile.name} has invalid startBits`);
    return t;
}
/**
 * Bits required for the block at `height`.
 * At a retarget height the last interval (timestamps of heights h−INTERVAL … h−1, that is INTERVAL−1
 * block gaps) is compared with the profile's block time; the change is clamped to ×4 / ÷4 and the
 * target never goes above the start target. Elsewhere the parent's bits carry over.
 * `intervalStartTime` is the timestamp at height h − DIFFICULTY_INTERVAL (only read at retargets).
 */
export function nextBits(profile, height, parentBits, parentTime, intervalStartTime) {
    if (height === 0)
        return profile.startBits;
    if (!isRetargetHeight(height))
        return parentBits;
    const expected = BigInt((DIFFICULTY_INTERVAL - 1) * profile.blockTimeSec * 1000);
    let actual = BigInt(Math.max(0, parentTime - intervalStartTime));
    if (actual < expected / 4n)
        actual = expected / 4n;
    if (actual > expected * 4n)
        actual = expected * 4n;
    const old = bitsToTarget(parentBits);
    if (old === undefined)
        throw new ValidationError('bad-bits', 'parent has invalid bits');
    let t = (old * actual) / expected;
    const max = maxTarget(profile);
    if (t > max)
        t = max;
    if (t < 1n)
        t = 1n;
    return targetToBits(t);
}
/** Block subsidy: INITIAL_SUBSIDY halved every HALVING_INTERVAL blocks, zero after 64 halvings. */
export function subsidy(height) {
    const halvings = Math.floor(height / HALVING_INTERVAL);
    return halvings >= 64 ? 0n : INITIAL_SUBSIDY >> BigInt(halvings);
}
/** Timestamp rule (median-free): strictly after the parent, at most MAX_FUTURE_MS ahead of now. */
export function checkTimestamp(timestamp, parentTime, now) {
    if (timestamp <= parentTime)
        throw new ValidationError('time-too-old', `timestamp ${timestamp} not after parent ${parentTime}`);
    if (timestamp > now + MAX_FUTURE_MS)
        throw new ValidationError('time-too-new', `timestamp ${timestamp} more than 2 min ahead of ${now}`);
}
//# sourceMappingURL=consensus.js.map