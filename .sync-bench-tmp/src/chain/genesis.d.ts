import { type NetworkProfile } from '../constants.js';
import type { Core } from '../core/types.js';
import type { Certificate, Header } from './types.js';
export interface Genesis {
    header: Header;
    headerBytes: Uint8Array;
    bytes: Uint8Array;
    hash: Uint8Array;
}
/** All phases at 0: r = 1 exactly, so the certificate is reproducible bit for bit. */
export declare const GENESIS_CERT: Certificate;
export declare function genesisBlock(core: Core, profile: NetworkProfile): Genesis;
