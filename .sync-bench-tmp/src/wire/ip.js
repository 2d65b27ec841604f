// IP addresses as the 16 bytes of ADDR entries: IPv6, IPv4 as v4-mapped ::ffff:a.b.c.d.
const V4_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
function parseV4(s) {
    const m = V4_RE.exec(s);
    if (!m)
        return null;
    const parts = m.slice(1).map(Number);
    for (let i = 0; i < 4; i++) {
        const p = m[i + 1];
        if (parts[i] > 255 || (p.length > 1 && p[0] === '0'))
            return null;
    }
    return parts;
}
/** 16 bytes for an IPv4 or IPv6 literal (brackets allowed), null for anything else (names, zones). */
export function parseIp(host) {
    let h = host;
    if (h.startsWith('[') && h.endsWith(']'))
        h = h.slice(1, -1);
    const v4 = parseV4(h);
    if (v4)
        return Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...v4]);
    if (!h.includes(':') || h.includes('%'))
        return null;
    const lastColon = h.lastIndexOf(':');
    if (h.slice(lastColon + 1).includes('.')) {
        // Embedded IPv4 tail: rewrite it as two hex groups.
        const t = parseV4(h.slice(lastColon + 1));
        if (!t)
            return null;
        h = `${h.slice(0, lastColon + 1)}${((t[0] << 8) | t[1]).toString(16)}:${((t[2] << 8) | t[3]).toString(16)}`;
    }
    const halves = h.split('::');
    if (halves.length > 2)
        return null;
    const parseGroups = (s) => {
        if (s === '')
            return [];
        const out = [];
        for (const g of s.split(':')) {
            if (!/^[0-9a-fA-F]{1,4}$/.test(g))
                return null;
            out.push(parseInt(g, 16));
        }
        return out;
    };
    const head = parseGroups(halves[0]);
    const rest = halves.length === 2 ? parseGroups(halves[1]) : [];
    if (!head || !rest)
        return null;
    const groupsWanted = 8;
    let groups;
    if (halves.length === 2) {
        const fill = groupsWanted - head.length - rest.length;
        if (fill < 1)
            return null;
        groups = [...head, ...new Array(fill).fill(0), ...rest];
    }
    else {
        if (head.length !== groupsWanted)
            return null;
        groups = head;
    }
    const out = new Uint8Array(16);
    groups.forEach((g, i) => {
        out[2 * i] = g >> 8;
        out[2 * i + 1] = g & 0xff;
    });
    return out;
}
/** Canonical text of 16 address bytes: dotted IPv4 when v4-mapped, else RFC 5952 IPv6. */
export function formatIp(b) {
    let mapped = b[10] === 0xff && b[11] === 0xff;
    for (let i = 0; i < 10 && mapped; i++)
        if (b[i] !== 0)
            mapped = false;
    if (mapped)
        return `${b[12]}.${b[13]}.${b[14]}.${b[15]}`;
    const g = [];
    for (let i = 0; i < 8; i++)
        g.push((b[2 * i] << 8) | b[2 * i + 1]);
    // Longest run of ≥ 2 zero groups (first on a tie) becomes "::".
    let bestStart = -1;
    let bestLen = 1;
    for (let i = 0; i < 8;) {
        if (g[i] !== 0) {
            i++;
            continue;
        }
        let j = i;
        while (j < 8 && g[j] === 0)
            j++;
        if (j - i > bestLen) {
            bestStart = i;
            bestLen = j - i;
        }
        i = j;
    }
    const hex = (xs) => xs.map((x) => x.toString(16)).join(':');
    if (bestStart < 0)
        return hex(g);
    return `${hex(g.slice(0, bestStart))}::${hex(g.slice(bestStart + bestLen))}`;
}
/** Host text without the v4-mapped prefix Node reports on dual-stack sockets. */
export function normalizeHost(host) {
    const h = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
    const m = /^::ffff:(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/i.exec(h);
    return (m ? m[1] : h).toLowerCase();
}
//# sourceMappingURL=ip.js.map