import { InputError } from '../errors.js';
/** An error answered as `{ error: { code, message, field? } }` with an HTTP status. */
export class ApiError extends InputError {
    status;
    field;
    constructor(status, code, message, field) {
        super(code, message);
        this.status = status;
        this.field = field;
    }
}
export class Router {
    routes = [];
    add(method, pattern, handler) {
        const keys = [];
        const re = new RegExp('^' +
            pattern.replace(/\/:([a-zA-Z]+)/g, (_m, k) => {
                keys.push(k);
                return '/([^/]+)';
            }) +
            '/?$');
        this.routes.push({ method, pattern, re, keys, handler });
        return this;
    }
    /** The route for a path, or why there is none (404 / 405 with the allowed methods). */
    match(method, path) {
        const allow = [];
        for (const r of this.routes) {
            const m = r.re.exec(path);
            if (!m)
                continue;
            if (r.method !== method) {
                allow.push(r.method);
                continue;
            }
            const params = {};
            r.keys.forEach((k, i) => {
                params[k] = safeDecode(m[i + 1]);
            });
            return { route: r, params };
        }
        return allow.length ? { status: 405, allow } : { status: 404 };
    }
}
function safeDecode(s) {
    try {
        return decodeURIComponent(s);
    }
    catch {
        return s;
    }
}
/** Reads a body up to `limit` bytes; beyond it rejects with 413 before buffering more. */
export function readBody(req, limit) {
    return new Promise((resolve, reject) => {
        const declared = Number(req.headers['content-length']);
        if (Number.isFinite(declared) && declared > limit) {
            reject(new ApiError(413, 'body-too-large', `request body over ${limit} bytes`));
            return;
        }
        const chunks = [];
        let n = 0;
        const onData = (c) => {
            n += c.length;
            if (n > limit) {
                req.off('data', onData);
                reject(new ApiError(413, 'body-too-large', `request body over ${limit} bytes`));
                return;
            }
            chunks.push(c);
        };
        req.on('data', onData);
        req.once('end', () => resolve(Buffer.concat(chunks)));
        req.once('error', reject);
    });
}
export function send(res, status, body, contentType, extra = {}) {
    res.writeHead(status, {
        'content-type': contentType,
        'content-length': Buffer.byteLength(body),
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        ...extra,
    });
    res.end(body);
}
/** JSON with bigints as decimal strings. */
export function toJson(v) {
    return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
}
export function errorBody(code, message, field) {
    return toJson({ error: { code, message, ...(field ? { field } : {}) } });
}
//# sourceMappingURL=http.js.map