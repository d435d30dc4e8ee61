import type { IncomingMessage } from 'node:http';
import type { Transform } from 'node:stream';
import zlib from 'node:zlib';
import type restify from 'restify';
import { nestsDeeperThan } from '../domain/jsonDepth';

/** The codings a JSON body may come in; anything else is 415. */
export const ACCEPTED_ENCODINGS = ['gzip', 'deflate'] as const;
/** Deeper than any activity or card value a channel sends; what is deeper is refused before anything walks it. */
export const MAX_JSON_DEPTH = 64;

export type JsonBody =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly status: 400 | 413 | 415; readonly problem: string };

/**
 * Reads a request's JSON body, decoded, counting every byte after decoding: a small gzip body that
 * inflates to gigabytes is refused with 413 at `maxBytes` inflated, without holding more. The whole
 * body is UTF-8 (invalid bytes are refused, not replaced) and JSON nested at most MAX_JSON_DEPTH
 * deep. A refusal before the body's end leaves the rest unread: the caller answers and closes.
 */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<JsonBody> {
  const coding = decoderFor(req.headers['content-encoding']);
  if (!coding.ok) return coding;
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return tooLarge(maxBytes);
  const type = req.headers['content-type'];
  if (type !== undefined && !isJsonType(type)) {
    return {
      ok: false,
      status: 400,
      problem: `the body must be JSON (Content-Type: application/json), not ${type.slice(0, 100)}`,
    };
  }
  const read = await readDecoded(req, coding.decoder, maxBytes);
  if (!read.ok) return read;
  if (read.bytes.length === 0) return { ok: false, status: 400, problem: 'the body is empty: it must be a JSON object' };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(read.bytes);
  } catch {
    return { ok: false, status: 400, problem: 'the body is not UTF-8 text' };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error: unknown) {
    return {
      ok: false,
      status: 400,
      problem: `the body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  if (nestsDeeperThan(value, MAX_JSON_DEPTH)) {
    return { ok: false, status: 400, problem: `the body nests objects and lists deeper than ${MAX_JSON_DEPTH} levels` };
  }
  return { ok: true, value };
}

const ERROR_NAMES = { 400: 'BadRequest', 413: 'PayloadTooLarge', 415: 'UnsupportedMediaType' } as const;

/**
 * Answers a refused body. The connection is closed after the answer: the rest of the body may be
 * unread, and reading it only to throw it away is what a client sending gigabytes wants.
 */
export function refuseBody(res: restify.Response, refusal: Extract<JsonBody, { ok: false }>): void {
  res.header('Connection', 'close');
  if (refusal.status === 415) res.header('Accept-Encoding', ACCEPTED_ENCODINGS.join(', '));
  res.send(refusal.status, { error: ERROR_NAMES[refusal.status], problems: [refusal.problem] });
}

function decoderFor(header: string | undefined): { ok: true; decoder?: () => Transform } | Extract<JsonBody, { ok: false }> {
  const codings = (header ?? '')
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity');
  if (codings.length === 0) return { ok: true };
  const [coding] = codings;
  if (codings.length === 1 && (coding === 'gzip' || coding === 'x-gzip')) return { ok: true, decoder: () => zlib.createGunzip() };
  if (codings.length === 1 && coding === 'deflate') return { ok: true, decoder: () => zlib.createInflate() };
  return {
    ok: false,
    status: 415,
    problem: `Content-Encoding ${String(header).slice(0, 100)} is not taken: send the body as it is, or in one of ${ACCEPTED_ENCODINGS.join(', ')}`,
  };
}

type Read = { readonly ok: true; readonly bytes: Buffer } | Extract<JsonBody, { ok: false }>;

/** The body's bytes after decoding, refused once more than `maxBytes` were sent or came out of the decoder. */
function readDecoded(req: IncomingMessage, decoder: (() => Transform) | undefined, maxBytes: number): Promise<Read> {
  return new Promise<Read>((resolve) => {
    const chunks: Buffer[] = [];
    let decoded = 0;
    let sent = 0;
    let settled = false;
    const inflater = decoder?.();
    const finish = (read: Read): void => {
      if (settled) return;
      settled = true;
      req.off('data', onSent);
      req.off('end', onSentAll);
      req.off('error', onError);
      req.off('aborted', onAborted);
      if (inflater) {
        inflater.off('data', onDecoded);
        inflater.destroy();
      }
      // Nothing more of it is wanted: what the client still sends is left unread, the connection closed after the answer.
      if (!read.ok) req.pause();
      resolve(read);
    };
    const onDecoded = (chunk: Buffer): void => {
      decoded += chunk.length;
      if (decoded > maxBytes) finish(tooLarge(maxBytes));
      else chunks.push(chunk);
    };
    const onSent = (chunk: Buffer): void => {
      sent += chunk.length;
      if (sent > maxBytes) finish(tooLarge(maxBytes));
      else if (inflater) inflater.write(chunk);
      else onDecoded(chunk);
    };
    const onSentAll = (): void => {
      if (!inflater) finish({ ok: true, bytes: Buffer.concat(chunks) });
      else inflater.end();
    };
    const onError = (): void => finish({ ok: false, status: 400, problem: 'the body could not be read' });
    const onAborted = (): void => finish({ ok: false, status: 400, problem: 'the body was cut off' });
    if (inflater) {
      inflater.on('data', onDecoded);
      inflater.once('end', () => finish({ ok: true, bytes: Buffer.concat(chunks) }));
      inflater.once('error', (error: Error) =>
        finish({ ok: false, status: 400, problem: `the body could not be decoded: ${error.message}` }),
      );
    }
    req.on('data', onSent);
    req.once('end', onSentAll);
    req.once('error', onError);
    req.once('aborted', onAborted);
  });
}

function tooLarge(maxBytes: number): Extract<JsonBody, { ok: false }> {
  return { ok: false, status: 413, problem: `the body is larger than ${Math.floor(maxBytes / 1024)} KiB` };
}

/** application/json, or a +json type, with any parameters; a charset other than UTF-8 is not JSON's. */
function isJsonType(header: string): boolean {
  const [type = '', ...parameters] = header.split(';').map((part) => part.trim().toLowerCase());
  if (type !== 'application/json' && !/^application\/[\w.+-]+\+json$/.test(type)) return false;
  const charset = parameters.find((parameter) => parameter.startsWith('charset='))?.slice('charset='.length);
  return charset === undefined || charset.replace(/"/g, '') === 'utf-8';
}
