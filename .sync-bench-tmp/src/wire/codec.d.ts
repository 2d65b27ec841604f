import { type Message, type MsgTypeCode } from './types.js';
/** The seed's VERSION `<IIQI`. */
export declare const VERSION_BASE_SIZE = 20;
export declare const MAX_USER_AGENT_BYTES = 64;
export declare const MAX_CHAINWORK_BYTES = 32;
export declare const MAX_GETDATA_HASHES = 500;
export declare const MAX_ADDRS_PER_MSG = 1000;
/** One ADDR entry: 16-byte IPv6 (IPv4 as ::ffff:a.b.c.d), port u16, lastSeen u32. */
export declare const ADDR_ENTRY_SIZE = 22;
export declare const HASH_SIZE = 32;
/** "PING", or "0x7f" for a type this node does not know. */
export declare function typeName(type: number): string;
export declare function isKnownType(type: number): type is MsgTypeCode;
/** Payload bytes of a message; throws InputError if a field is out of its wire range. */
export declare function encodeMessage(msg: Message): Uint8Array;
/** A whole frame for a message. */
export declare function encodeMessageFrame(msg: Message): Uint8Array;
/** Parses one payload; throws only ProtocolError (code 'unknown-type' for a type we do not know). */
export declare function decodeMessage(type: number, payload: Uint8Array): Message;
