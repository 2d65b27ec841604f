// Message shapes of the wire protocol (types only; the codec lives beside this file).
// The wire knows nothing of peers or the chain: blocks, txs and phase states travel as bytes.
export const MsgType = {
    VERSION: 0x01,
    VERACK: 0x02,
    GETADDR: 0x03,
    ADDR: 0x04,
    PING: 0x05,
    PONG: 0x06,
    GETBLOCKS: 0x10,
    BLOCKS: 0x11,
    GETDATA: 0x12,
    BLOCK: 0x13,
    TX: 0x14,
    PHASE: 0x20,
    GETPHASE: 0x21,
    COHERENCE: 0x22,
    BLOOM: 0x30,
};
//# sourceMappingURL=types.js.map