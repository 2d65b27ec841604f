import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encodeMessageFrame } from '../src/wire/codec.js';
import { encodeFrame } from '../src/wire/frame.js';
import { MsgType } from '../src/wire/types.js';
import { RawClient, bareVersion, cleanup, sleep, startManager, waitFor } from './helpers/p2p.js';

afterEach(cleanup);

// Frames with a plausible type and random payload, raw garbage, or valid messages, in random chunks.
const arbPiece = fc.oneof(
  fc.tuple(fc.constantFrom(...Object.values(MsgType), 0x00, 0x7f, 0xff), fc.uint8Array({ maxLength: 64 })).map(([t, p]) => encodeFrame(t, p)),
  fc.uint8Array({ minLength: 1, maxLength: 32 }),
  fc.constant(encodeMessageFrame({ type: MsgType.PING, nonce: 1n })),
  fc.constant(encodeMessageFrame({ type: MsgType.GETADDR })),
);

describe('TCP fuzz', () => {
  it('random input from a peer never crashes the node or wedges the listener', async () => {
    const m = await startManager({ banMs: 0 }); // bans expire at once so the next run can connect
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.array(arbPiece, { maxLength: 12 }), async (handshake, pieces) => {
        const c = await RawClient.connect(m.port);
        if (handshake) {
          c.write(bareVersion());
          c.send({ type: MsgType.VERACK });
        }
        for (const p of pieces) c.write(p);
        await sleep(5);
        c.socket.destroy();
        await waitFor(() => m.connections().length === 0, 2000, 'connection cleanup');
      }),
      { numRuns: 40 },
    );
    const ok = await RawClient.connect(m.port);
    await ok.handshakeBare();
    expect(m.peers()).toHaveLength(1);
  });
});
