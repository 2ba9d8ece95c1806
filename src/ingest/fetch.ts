// Safe HTTP(S) fetching for untrusted URLs: only http/https, a deadline over the whole exchange, a size cap
// on the (decompressed) body, manual redirects (capped), a content-type check, and no requests to loopback,
// private, link-local, CGNAT, unique-local or cloud-metadata addresses. The address check runs on the address
// actually connected to (inside the socket's DNS lookup), so it holds after DNS resolution and on every redirect.
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import { isIP } from "node:net";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import type { Readable } from "node:stream";
import { UserError } from "../util/errors.js";

export interface FetchOptions {
  maxBytes: number;
  allowPrivate: boolean;
  timeoutMs: number;
  maxRedirects?: number;
  /** Why an address is refused (default blockedAddressReason); replaceable so tests can use 127.0.0.x. */
  addressPolicy?: (ip: string) => string | null;
}

export interface Fetched {
  /** The URL asked for and the one finally answered (after redirects). */
  requestedUrl: string;
  url: string;
  status: number;
  /** Media type, lower case, without parameters ("" when the server sent none). */
  mediaType: string;
  charset?: string;
  body: Buffer;
}

const USER_AGENT = "claimscope/0.1 (+https://github.com/claimscope; article analysis)";

/** Media types we read; anything else with a type is refused. */
const TEXT_TYPES = new Set([
  "text/html",
  "application/xhtml+xml",
  "text/plain",
  "text/markdown",
  "text/x-markdown",
  "application/rss+xml",
  "application/atom+xml",
  "application/rdf+xml",
  "application/xml",
  "text/xml",
  "application/x-rss+xml",
]);

// ---------------------------------------------------------------------------------------------------------
// Address classification

function ipv4ToInt(ip: string): number {
  const p = ip.split(".").map(Number);
  return ((p[0]! << 24) | (p[1]! << 16) | (p[2]! << 8) | p[3]!) >>> 0;
}

const V4_RANGES: [string, number, string][] = [
  ["0.0.0.0", 8, "unspecified"],
  ["10.0.0.0", 8, "private"],
  ["100.64.0.0", 10, "carrier-grade NAT"],
  ["127.0.0.0", 8, "loopback"],
  ["169.254.0.0", 16, "link-local"],
  ["172.16.0.0", 12, "private"],
  ["192.0.0.0", 24, "IETF protocol assignments"],
  ["192.0.2.0", 24, "documentation"],
  ["192.168.0.0", 16, "private"],
  ["198.18.0.0", 15, "benchmarking"],
  ["198.51.100.0", 24, "documentation"],
  ["203.0.113.0", 24, "documentation"],
  ["224.0.0.0", 4, "multicast"],
  ["240.0.0.0", 4, "reserved"],
];
const V4_PARSED = V4_RANGES.map(([base, bits, why]) => {
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { net: (ipv4ToInt(base) & mask) >>> 0, mask, why };
});
/** Cloud instance-metadata endpoints (AWS/GCP/Azure/OpenStack, Alibaba, Azure wire server, Oracle). */
const METADATA_V4 = new Set([
  "169.254.169.254",
  "169.254.170.2",
  "100.100.100.200",
  "168.63.129.16",
  "192.0.0.192",
]);
const METADATA_HOSTS = new Set([
  "metadata.google.internal",
  "metadata.goog",
  "metadata",
  "instance-data",
  "instance-data.ec2.internal",
]);

function v4Reason(ip: string): string | null {
  if (METADATA_V4.has(ip)) return "cloud metadata";
  const n = ipv4ToInt(ip);
  for (const r of V4_PARSED) if ((n & r.mask) >>> 0 === r.net) return r.why;
  return null;
}

/** Expands an IPv6 address into its 8 16-bit groups (handles "::" and a dotted IPv4 tail). */
function ipv6Groups(ip: string): number[] | null {
  let s = ip.toLowerCase();
  const zone = s.indexOf("%");
  if (zone >= 0) s = s.slice(0, zone);
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (tail) {
    const n = ipv4ToInt(tail[1]!);
    s = s.slice(0, tail.index) + ((n >>> 16) & 0xffff).toString(16) + ":" + (n & 0xffff).toString(16);
  }
  const halves = s.split("::");
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(":") : [];
  const rest = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const fill = halves.length === 2 ? 8 - head.length - rest.length : 0;
  const all = [...head, ...Array<string>(Math.max(fill, 0)).fill("0"), ...rest];
  if (all.length !== 8) return null;
  return all.map((h) => parseInt(h, 16));
}

function v6Reason(ip: string): string | null {
  const g = ipv6Groups(ip);
  if (!g || g.some((x) => !Number.isFinite(x))) return "unparseable address";
  const embedded = (hi: number, lo: number): string => `${hi >>> 8}.${hi & 0xff}.${lo >>> 8}.${lo & 0xff}`;
  const zeros = (k: number): boolean => g.slice(0, k).every((x) => x === 0);
  if (zeros(8)) return "unspecified";
  if (zeros(7) && g[7] === 1) return "loopback";
  if (zeros(5) && g[5] === 0xffff) return v4Reason(embedded(g[6]!, g[7]!)); // IPv4-mapped
  if (zeros(6)) return v4Reason(embedded(g[6]!, g[7]!)) ?? "IPv4-compatible"; // deprecated IPv4-compatible
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0)
    return v4Reason(embedded(g[6]!, g[7]!)); // NAT64
  if (g[0] === 0x2002) return v4Reason(embedded(g[1]!, g[2]!)); // 6to4
  if ((g[0]! & 0xfe00) === 0xfc00)
    return g[0] === 0xfd00 && g[1] === 0x0ec2 ? "cloud metadata" : "unique-local";
  if ((g[0]! & 0xffc0) === 0xfe80) return "link-local";
  if ((g[0]! & 0xffc0) === 0xfec0) return "site-local";
  if ((g[0]! & 0xff00) === 0xff00) return "multicast";
  if (g[0] === 0x2001 && g[1] === 0x0db8) return "documentation";
  if (g[0] === 0x0100 && g[1] === 0 && g[2] === 0 && g[3] === 0) return "discard-only";
  return null;
}

/** Why fetching from `ip` is refused (e.g. "loopback", "private", "cloud metadata"), or null when it is public. */
export function blockedAddressReason(ip: string): string | null {
  const v = isIP(ip);
  if (v === 4) return v4Reason(ip);
  if (v === 6) return v6Reason(ip);
  return "not an IP address";
}

class BlockedAddress extends Error {
  constructor(
    readonly host: string,
    readonly address: string,
    readonly why: string,
  ) {
    super(`${host} resolves to ${address} (${why})`);
  }
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** A dns.lookup replacement for http.request that refuses the addresses `policy` blocks. */
function guardedLookup(policy: (ip: string) => string | null) {
  return (
    hostname: string,
    options: { all?: boolean; family?: number | string },
    cb: LookupCallback,
  ): void => {
    const family = typeof options.family === "number" ? options.family : 0;
    dnsLookup(hostname, { all: true, family }, (err, addresses) => {
      if (err) return cb(err, []);
      for (const a of addresses) {
        const why = policy(a.address);
        if (why) return cb(new BlockedAddress(hostname, a.address, why) as NodeJS.ErrnoException, []);
      }
      if (options.all) return cb(null, addresses);
      const first = addresses[0];
      if (!first)
        return cb(Object.assign(new Error(`no addresses for ${hostname}`), { code: "ENOTFOUND" }), []);
      cb(null, first.address, first.family);
    });
  };
}

// ---------------------------------------------------------------------------------------------------------
// Fetching

/** Throws a UserError unless `raw` is an http(s) URL. */
export function parseHttpUrl(raw: string): URL {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new UserError(`not a valid URL: ${raw}`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:")
    throw new UserError(
      `unsupported URL scheme "${u.protocol}" in ${short(raw)} (only http: and https: are fetched)`,
    );
  if (u.username || u.password)
    throw new UserError(`refusing a URL with credentials: ${u.protocol}//…@${u.host}`);
  return u;
}

function short(s: string): string {
  return s.length > 120 ? s.slice(0, 117) + "…" : s;
}

function checkHost(u: URL, allowPrivate: boolean, policy: (ip: string) => string | null): void {
  if (allowPrivate) return;
  const host = u.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (METADATA_HOSTS.has(host.replace(/\.$/, "")))
    throw new UserError(
      `refusing to fetch ${u.href}: ${host} is a cloud metadata address (use --allow-private to override)`,
    );
  if (isIP(host)) {
    const why = policy(host);
    if (why)
      throw new UserError(
        `refusing to fetch ${u.href}: ${host} is a ${why} address (use --allow-private to override)`,
      );
  }
}

function fmtBytes(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} KB` : `${n} bytes`;
}

export function overCapMessage(name: string, size: number | null, maxBytes: number): string {
  const what = size === null ? "is larger than" : `is ${fmtBytes(size)}, over`;
  return `${name} ${what} the size cap of ${maxBytes} bytes (raise it with --max-bytes)`;
}

interface OneResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body?: Buffer;
}

/** Fetches `raw` following up to maxRedirects redirects; every hop is checked. Errors are UserErrors. */
export async function safeFetch(raw: string, opts: FetchOptions): Promise<Fetched> {
  const maxRedirects = opts.maxRedirects ?? 5;
  const deadline = Date.now() + opts.timeoutMs;
  let url = parseHttpUrl(raw);
  for (let hop = 0; ; hop++) {
    checkHost(url, opts.allowPrivate, opts.addressPolicy ?? blockedAddressReason);
    const res = await requestOnce(url, opts, deadline);
    if (res.status >= 300 && res.status < 400 && res.status !== 304) {
      const loc = res.headers.location;
      if (!loc) throw new UserError(`${url.href}: HTTP ${res.status} redirect without a Location header`);
      if (hop >= maxRedirects) throw new UserError(`${raw}: too many redirects (more than ${maxRedirects})`);
      let next: URL;
      try {
        next = new URL(loc, url);
      } catch {
        throw new UserError(`${url.href}: redirect to an invalid URL`);
      }
      url = parseHttpUrl(next.href);
      continue;
    }
    if (res.status >= 400) {
      const text = http.STATUS_CODES[res.status];
      throw new UserError(`${url.href}: HTTP ${res.status}${text ? ` ${text}` : ""}`);
    }
    const { mediaType, charset } = parseContentType(res.headers["content-type"]);
    return {
      requestedUrl: raw,
      url: url.href,
      status: res.status,
      mediaType,
      charset,
      body: res.body ?? Buffer.alloc(0),
    };
  }
}

export function parseContentType(header: string | undefined): { mediaType: string; charset?: string } {
  if (!header) return { mediaType: "" };
  const [type, ...params] = header.split(";");
  const mediaType = type!.trim().toLowerCase();
  let charset: string | undefined;
  for (const p of params) {
    const m = /^\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(p);
    if (m) charset = m[1];
  }
  return { mediaType, charset };
}

/** True for media types we can read (or an empty type, which is sniffed). */
export function isReadableType(mediaType: string): boolean {
  return (
    mediaType === "" ||
    TEXT_TYPES.has(mediaType) ||
    (mediaType.startsWith("text/") && mediaType !== "text/css" && mediaType !== "text/javascript")
  );
}

function requestOnce(url: URL, opts: FetchOptions, deadline: number): Promise<OneResponse> {
  return new Promise<OneResponse>((resolve, reject) => {
    const remaining = deadline - Date.now();
    if (remaining <= 0)
      return reject(new UserError(`timed out after ${opts.timeoutMs} ms fetching ${url.href}`));
    const mod = url.protocol === "https:" ? https : http;
    let settled = false;
    const fail = (err: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(toUserError(err, url, opts));
    };
    const req = mod.request(
      url,
      {
        method: "GET",
        headers: {
          "user-agent": USER_AGENT,
          accept:
            "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.1",
          "accept-encoding": "gzip, deflate, br",
        },
        lookup: opts.allowPrivate
          ? undefined
          : (guardedLookup(opts.addressPolicy ?? blockedAddressReason) as unknown as typeof dnsLookup),
        agent: false,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400) {
          res.resume();
          settled = true;
          clearTimeout(timer);
          req.destroy();
          return resolve({ status, headers: res.headers });
        }
        if (status >= 400) {
          res.resume();
          settled = true;
          clearTimeout(timer);
          req.destroy();
          return resolve({ status, headers: res.headers });
        }
        const { mediaType } = parseContentType(res.headers["content-type"]);
        if (!isReadableType(mediaType))
          return fail(
            new UserError(
              `${url.href}: unsupported content type "${mediaType}" (expected HTML, text or an RSS/Atom feed)`,
            ),
          );
        const declared = Number(res.headers["content-length"]);
        if (Number.isFinite(declared) && declared > opts.maxBytes)
          return fail(new UserError(overCapMessage(url.href, declared, opts.maxBytes)));
        let stream: Readable = res;
        const enc = String(res.headers["content-encoding"] ?? "")
          .toLowerCase()
          .trim();
        if (enc === "gzip" || enc === "x-gzip") stream = res.pipe(createGunzip());
        else if (enc === "deflate") stream = res.pipe(createInflate());
        else if (enc === "br") stream = res.pipe(createBrotliDecompress());
        const chunks: Buffer[] = [];
        let total = 0;
        stream.on("data", (c: Buffer) => {
          total += c.length;
          if (total > opts.maxBytes)
            return fail(new UserError(overCapMessage(url.href, null, opts.maxBytes)));
          chunks.push(c);
        });
        stream.on("error", fail);
        res.on("error", fail);
        stream.on("end", () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({ status, headers: res.headers, body: Buffer.concat(chunks, total) });
        });
      },
    );
    const timer = setTimeout(
      () => fail(new UserError(`timed out after ${opts.timeoutMs} ms fetching ${url.href}`)),
      // setTimeout fires at once beyond 2^31 - 1 ms (~24.8 days): a longer deadline waits that long.
      Math.min(remaining, 2 ** 31 - 1),
    );
    req.on("error", fail);
    req.end();
  });
}

function toUserError(err: unknown, url: URL, opts: FetchOptions): Error {
  if (err instanceof UserError) return err;
  if (err instanceof BlockedAddress)
    return new UserError(
      `refusing to fetch ${url.href}: ${err.host} resolves to ${err.address}, a ${err.why} address (use --allow-private to override)`,
    );
  const e = err as NodeJS.ErrnoException & { cause?: unknown };
  if (e && e.cause instanceof BlockedAddress) return toUserError(e.cause, url, opts);
  const host = url.host;
  switch (e?.code) {
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "EAI_NONAME":
    case "EAI_FAIL":
      return new UserError(`cannot resolve host "${url.hostname}" (${url.href})`);
    case "ECONNREFUSED":
      return new UserError(`connection refused by ${host} (${url.href})`);
    case "ECONNRESET":
      return new UserError(`connection reset by ${host} (${url.href})`);
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return new UserError(`host unreachable: ${host} (${url.href})`);
    case "ETIMEDOUT":
      return new UserError(`timed out after ${opts.timeoutMs} ms fetching ${url.href}`);
    case "Z_DATA_ERROR":
    case "Z_BUF_ERROR":
      return new UserError(`${url.href}: corrupt compressed response`);
  }
  if (e?.code && /^(?:CERT_|ERR_TLS|UNABLE_TO|DEPTH_ZERO|SELF_SIGNED|ERR_SSL)/.test(e.code))
    return new UserError(`TLS error fetching ${url.href}: ${e.message}`);
  return new UserError(`cannot fetch ${url.href}: ${e?.message ?? String(err)}`);
}
