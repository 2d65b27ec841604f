/**
 * One byte stream to a remote node. Each `on*` registers the single callback for that event
 * (a later call replaces it). Data arriving before `onData` is registered is held, not lost.
 */
export interface Connection {
    /** Remote host, normalized (IPv4 without the ::ffff: prefix). */
    readonly remoteAddress: string;
    readonly remotePort: number;
    /** Bytes accepted by write() but not yet handed to the network. */
    readonly bufferedBytes: number;
    /** Queues bytes (never blocks); false means "over the transport's high-water mark, wait for drain". */
    write(data: Uint8Array): boolean;
    onData(cb: (chunk: Uint8Array) => void): void;
    /** Called exactly once, after close(), destroy() or the remote end going away. */
    onClose(cb: (err?: Error) => void): void;
    onDrain(cb: () => void): void;
    /** Flushes what is queued, then closes. */
    close(): void;
    /** Closes at once, dropping what is queued. */
    destroy(): void;
}
export interface Server {
    /** The bound port (useful after listening on port 0). */
    readonly port: number;
    /** Stops accepting; existing connections are left to their owner. */
    close(): Promise<void>;
}
export interface Transport {
    listen(host: string, port: number, onConnection: (conn: Connection) => void): Promise<Server>;
    /** Resolves once connected; rejects if the connection cannot be made. */
    connect(host: string, port: number): Promise<Connection>;
}
/** Real TCP via node:net, Nagle off. */
export declare class TcpTransport implements Transport {
    listen(host: string, port: number, onConnection: (conn: Connection) => void): Promise<Server>;
    connect(host: string, port: number): Promise<Connection>;
}
