import { type NetworkProfile } from '../constants.js';
/** A block may be stamped at most this far ahead of the validating node's clock. */
export declare const MAX_FUTURE_MS: number;
/** True when the block at `height` gets a new target (every DIFFICULTY_INTERVAL blocks, not genesis). */
export declare const isRetargetHeight: (height: number) => boolean;
/** Profile's start target: the easiest target the chain may ever have. */
export declare function maxTarget(profile: NetworkProfile): bigint;
/**
 * Bits required for the block at `height`.
 * At a retarget height the last interval (timestamps of heights h−INTERVAL … h−1, that is INTERVAL−1
 * block gaps) is compared with the profile's block time; the change is clamped to ×4 / ÷4 and the
 * target never goes above the start target. Elsewhere the parent's bits carry over.
 * `intervalStartTime` is the timestamp at height h − DIFFICULTY_INTERVAL (only read at retargets).
 */
export declare function nextBits(profile: NetworkProfile, height: number, parentBits: number, parentTime: number, intervalStartTime: number): number;
/** Block subsidy: INITIAL_SUBSIDY halved every HALVING_INTERVAL blocks, zero after 64 halvings. */
export declare function subsidy(height: number): bigint;
/** Timestamp rule (median-free): strictly after the parent, at most MAX_FUTURE_MS ahead of now. */
export declare function checkTimestamp(timestamp: number, parentTime: number, now: number): void;
