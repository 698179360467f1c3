/**
 * SHA-256 (FIPS 180-4) of a few kilobytes, synchronously: the fingerprint of a certificate.
 *
 * Why not Web Crypto: `crypto.subtle.digest` is asynchronous. In browsers the hash runs on
 * another thread and its result comes back as a task, so each metadata parse waited on a
 * thread hop (idle time on a busy 2-core machine) after paying the call itself; for the 1–2 kB
 * of a certificate this loop costs what the call alone cost (`npm run bench`, parse figures).
 * It also works where Web Crypto does not (plain http:// pages). Not for secrets: it hashes
 * public certificates. `test/node/sha256.test.mjs` compares it with node:crypto.
 *
 * Pure: no DOM, no Node APIs. Internal to core (`x509.ts`).
 */

/** The first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74,
  0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d,
  0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e,
  0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5,
  0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

/** The first 32 bits of the fractional parts of the square roots of the first 8 primes. */
const H0 = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);

/** Scratch space, reused by every call (the function is synchronous): the message schedule and the last blocks. */
const w = new Int32Array(64);
const tail = new Uint8Array(128);
const tailView = new DataView(tail.buffer);

/** The 32-byte SHA-256 digest of `data`. */
export function sha256(data: Uint8Array): Uint8Array {
  const length = data.length;
  const state = H0.slice();
  // Whole blocks straight from the data; the rest, a 1 bit, zeros and the length in bits
  // (64 bits, big-endian) in one or two blocks of `tail`.
  const whole = length - (length % 64);
  const view = new DataView(data.buffer, data.byteOffset, length);
  for (let offset = 0; offset < whole; offset += 64) compress(state, view, offset);
  const rest = length - whole;
  const tailLength = rest < 56 ? 64 : 128;
  tail.fill(0);
  tail.set(data.subarray(whole));
  tail[rest] = 0x80;
  tailView.setUint32(tailLength - 8, Math.floor(length / 0x20000000));
  tailView.setUint32(tailLength - 4, (length << 3) >>> 0);
  for (let offset = 0; offset < tailLength; offset += 64) compress(state, tailView, offset);
  const digest = new Uint8Array(32);
  const out = new DataView(digest.buffer);
  for (let i = 0; i < 8; i++) out.setInt32(4 * i, state[i]!);
  return digest;
}

/** One 64-byte block of `view` at `offset` into `state`. */
function compress(state: Int32Array, view: DataView, offset: number): void {
  for (let t = 0; t < 16; t++) w[t] = view.getInt32(offset + 4 * t);
  for (let t = 16; t < 64; t++) {
    const x = w[t - 15]!;
    const y = w[t - 2]!;
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[t] = (w[t - 16]! + s0 + w[t - 7]! + s1) | 0;
  }
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  let e = state[4]!;
  let f = state[5]!;
  let g = state[6]!;
  let h = state[7]!;
  for (let t = 0; t < 64; t++) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + s1 + ((e & f) ^ (~e & g)) + K[t]! + w[t]!) | 0;
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  // Int32Array stores wrap to 32 bits.
  state[0] = state[0]! + a;
  state[1] = state[1]! + b;
  state[2] = state[2]! + c;
  state[3] = state[3]! + d;
  state[4] = state[4]! + e;
  state[5] = state[5]! + f;
  state[6] = state[6]! + g;
  state[7] = state[7]! + h;
}
