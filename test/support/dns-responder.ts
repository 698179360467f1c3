/// <reference types="node" />
/**
 * A tiny authoritative DNS server for tests: real UDP packets on 127.0.0.1 (node:dgram), decoded
 * and encoded with dns-packet, so code under test can use node:dns with `setServers`. It also
 * listens on TCP at the same port, for answers too large for UDP.
 *
 * Per name (case-insensitive, trailing dot ignored): a list of TXT values (`string[]`: one
 * single-string record each, split into 255-byte strings when longer; `string[][]`: one
 * multi-string record each), `[]` for NOERROR with no answer, `'nxdomain'`, `'servfail'`, or
 * `'timeout'` (never answers). Unknown names answer NXDOMAIN; other query types at a known name
 * answer NOERROR with no answer. Over UDP, a response larger than the client's UDP size (512, or
 * its EDNS size) is sent truncated (TC, no answers), and the client asks again over TCP.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { createServer, type Server, type Socket as NetSocket } from 'node:net';
import { AUTHORITATIVE_ANSWER, RECURSION_DESIRED, decode, encode, encodingLength, streamEncode, TRUNCATED_RESPONSE, type Answer, type Packet } from 'dns-packet';

export type ResponderRecord = string[] | string[][] | 'nxdomain' | 'timeout' | 'servfail';

export interface DnsResponder {
  address: '127.0.0.1';
  port: number;
  /** `'127.0.0.1:port'`, for `Resolver.setServers`. */
  server: string;
  /** Adds or replaces what `name` answers. */
  set(name: string, value: ResponderRecord): void;
  /** The question names received, as sent (case preserved), in order. */
  queries: string[];
  close(): Promise<void>;
}

const RCODE = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, FORMERR: 1 } as const;
const TTL = 60;

function key(name: string): string {
  return name.trim().replace(/\.$/, '').toLowerCase();
}

/** A TXT record's strings as dns-packet encodes them, each at most 255 bytes. */
function chunks(value: string): Buffer[] {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length === 0) return [bytes];
  const out: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += 255) out.push(bytes.subarray(at, at + 255));
  return out;
}

function txtAnswers(name: string, record: string[] | string[][]): Answer[] {
  return record.map((entry: string | string[]) => ({
    type: 'TXT' as const,
    class: 'IN' as const,
    name,
    ttl: TTL,
    data: Array.isArray(entry) ? entry.flatMap(chunks) : chunks(entry),
  }));
}

/**
 * The response to one DNS message, or undefined for none (not a query, or a `'timeout'` name).
 * `limit` is the largest response the transport allows; a larger one is sent truncated (TC).
 */
function answer(message: Buffer, table: Map<string, ResponderRecord>, queries: string[], transport: 'udp' | 'tcp'): Packet | undefined {
  let query;
  try {
    query = decode(message);
  } catch {
    return undefined; // not DNS: ignore, as a real server would
  }
  if (query.type !== 'query') return undefined;
  const question = query.questions?.[0];
  const flags = AUTHORITATIVE_ANSWER | ((query.flags ?? 0) & RECURSION_DESIRED);
  const base: Packet = { type: 'response', id: query.id ?? 0, questions: query.questions ?? [], flags };
  if (!question || (query.questions?.length ?? 0) !== 1) return { ...base, flags: flags | RCODE.FORMERR };
  queries.push(question.name);
  const record = table.get(key(question.name));
  if (record === 'timeout') return undefined;
  if (record === undefined || record === 'nxdomain') return { ...base, flags: flags | RCODE.NXDOMAIN };
  if (record === 'servfail') return { ...base, flags: flags | RCODE.SERVFAIL };
  const response: Packet = { ...base, answers: question.type === 'TXT' ? txtAnswers(question.name, record) : [] };
  if (transport === 'tcp') return response;
  const opt = query.additionals?.find((additional) => additional.type === 'OPT');
  const limit = opt && 'udpPayloadSize' in opt && typeof opt.udpPayloadSize === 'number' ? Math.max(512, opt.udpPayloadSize) : 512;
  return encodingLength(response) > limit ? { ...base, flags: flags | TRUNCATED_RESPONSE } : response;
}

/** Binds UDP on a free port of 127.0.0.1, then TCP on the same port (retrying when it is taken). */
async function bindBoth(): Promise<{ udp: Socket; tcp: Server }> {
  for (let attempt = 0; ; attempt++) {
    const udp = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(0, '127.0.0.1', () => {
        udp.off('error', reject);
        resolve();
      });
    });
    const tcp = createServer();
    try {
      await new Promise<void>((resolve, reject) => {
        tcp.once('error', reject);
        tcp.listen(udp.address().port, '127.0.0.1', () => {
          tcp.off('error', reject);
          resolve();
        });
      });
      return { udp, tcp };
    } catch (error) {
      udp.close();
      if (attempt >= 10) throw error;
    }
  }
}

/** Starts the responder on 127.0.0.1, UDP and TCP on the same free port. */
export async function startDnsResponder(records: Record<string, ResponderRecord>): Promise<DnsResponder> {
  const table = new Map<string, ResponderRecord>(Object.entries(records).map(([name, value]) => [key(name), value]));
  const queries: string[] = [];
  const { udp, tcp } = await bindBoth();
  const connections = new Set<NetSocket>();

  udp.on('message', (message: Buffer, from: RemoteInfo) => {
    const response = answer(message, table, queries, 'udp');
    if (response) udp.send(encode(response), from.port, from.address);
  });
  tcp.on('connection', (connection) => {
    connections.add(connection);
    connection.on('close', () => connections.delete(connection));
    connection.on('error', () => connection.destroy());
    let pending = Buffer.alloc(0);
    connection.on('data', (data: Buffer) => {
      pending = Buffer.concat([pending, data]);
      while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
        const length = pending.readUInt16BE(0);
        const response = answer(pending.subarray(2, 2 + length), table, queries, 'tcp');
        pending = pending.subarray(2 + length);
        if (response) connection.write(streamEncode(response));
      }
    });
  });
  const { port } = udp.address();

  return {
    address: '127.0.0.1',
    port,
    server: `127.0.0.1:${port}`,
    set(name, value) {
      table.set(key(name), value);
    },
    queries,
    close: async () => {
      for (const connection of connections) connection.destroy();
      await Promise.all([
        new Promise<void>((resolve) => udp.close(() => resolve())),
        new Promise<void>((resolve) => tcp.close(() => resolve())),
      ]);
    },
  };
}
