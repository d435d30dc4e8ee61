import net from 'node:net';
import path from 'node:path';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import type restify from 'restify';
import type { InventoryStore } from '../domain/ports/inventory';
import type { ImportFile } from '../sources/import/files';
import type { InventoryImporter } from '../sources/import/importer';
import { createPrivateFile } from '../store/privateFiles';
import type { ImportUploads } from './importUploads';
import type { Logger } from './logger';
import { bearerMatches } from './secrets';

export interface ImportEndpointDeps {
  readonly importer: InventoryImporter;
  readonly token: string;
  /** An operator's token may be used from anywhere; the bot's own, written beside the store, from this machine only. */
  readonly remoteAllowed: boolean;
  /** Where uploads are kept while they are imported: on the store's disk. */
  readonly uploads: ImportUploads;
  /** The files of one import together, in bytes: IMPORT_MAX_BYTES. */
  readonly maxBytes: number;
  readonly log: Logger;
}

const MAX_FILES = 20;
const NAME_MAX = 200;

/**
 * Before the endpoint takes imports: a run that a stopped process left applying is marked
 * interrupted and said in the log, and the uploads such a process left are removed.
 */
export async function startImports(inventory: InventoryStore, uploads: ImportUploads, now: Date, log: Logger): Promise<void> {
  for (const run of await inventory.markInterruptedRuns()) {
    log.warn(
      { importRun: run.id, startedAt: run.at.toISOString(), actor: run.actor, files: run.files },
      'an import stopped while it was applied: the rows of the batches it had committed are in the store; run it again to apply the rest',
    );
  }
  const removed = await uploads.removeLeftovers(now);
  if (removed.length > 0) log.info({ uploads: removed }, 'removed the import uploads a stopped process left');
}

/**
 * POST /api/admin/import: the files of an import as multipart/form-data, one part per file named
 * by its file name, `?dryRun=true` to check without writing. What `npm run import` sends when the
 * running bot holds the store. Answers the import's report; 401 without the token, 409 while
 * another import runs, 400 for a body that is not such an upload, 413 past the limits, 415 for a
 * body with a content encoding. The upload is removed when the import ends, however it ends.
 */
export function importEndpoint(deps: ImportEndpointDeps) {
  let running = false;
  return async (req: restify.Request, res: restify.Response): Promise<void> => {
    if (!bearerMatches(req.header('authorization', ''), deps.token)) {
      res.send(401, { error: 'Unauthorized' });
      return;
    }
    if (!deps.remoteAllowed && !isLoopback(req.socket.remoteAddress)) {
      res.send(403, {
        error: 'Forbidden',
        problems: ['imports are taken from this machine only; set ADMIN_TOKEN to allow others'],
      });
      return;
    }
    const encoding = req.header('content-encoding', '').trim().toLowerCase();
    if (encoding !== '' && encoding !== 'identity') {
      // The body is not read: the connection closes after the answer, so that nothing of it is taken as a next request.
      res.header('Connection', 'close');
      res.send(415, {
        error: 'UnsupportedMediaType',
        problems: [`the upload must not be encoded (Content-Encoding: ${encoding.slice(0, 40)}); send the files as they are`],
      });
      return;
    }
    if (running) {
      res.send(409, { error: 'Conflict', problems: ['another import is running; try again when it is done'] });
      return;
    }
    running = true;
    let answer: { readonly status: number; readonly body: unknown };
    try {
      const folder = await deps.uploads.folder();
      try {
        answer = await importUpload(req, folder, deps);
      } finally {
        // Before the answer: whoever is answered finds no upload left.
        await deps.uploads.remove(folder);
      }
    } finally {
      running = false;
    }
    res.send(answer.status, answer.body);
  };
}

async function importUpload(
  req: restify.Request,
  folder: string,
  deps: ImportEndpointDeps,
): Promise<{ readonly status: number; readonly body: unknown }> {
  const upload = await receive(req, folder, deps.maxBytes);
  if (!upload.ok) {
    return {
      status: upload.status,
      body: { error: upload.status === 413 ? 'PayloadTooLarge' : 'BadRequest', problems: [upload.problem] },
    };
  }
  const dryRun = new URL(req.url ?? '/', 'http://bot').searchParams.get('dryRun') === 'true';
  const names = upload.files.map((file) => file.name);
  deps.log.info({ files: names, bytes: upload.bytes, dryRun }, 'inventory import received');
  const report = await deps.importer.run(upload.files, {
    dryRun,
    actor: 'import through the running bot',
    onProgress: ({ phase, rows }) => {
      if (phase === 'applying') deps.log.info({ rows, dryRun }, 'inventory import checked, applying');
    },
  });
  deps.log.info({ files: names, dryRun, ok: report.ok }, 'inventory import');
  return { status: 200, body: report };
}

type Upload =
  | { readonly ok: true; readonly files: readonly ImportFile[]; readonly bytes: number }
  | { readonly ok: false; readonly status: 400 | 413; readonly problem: string };

/**
 * Streams each file part to its own file (0600) in `folder`; nothing of an upload is held in
 * memory. Past `maxBytes` in all, the rest of the body is read and dropped, and the answer is 413.
 * Every file's write is over, finished or failed, before this returns.
 */
async function receive(req: restify.Request, folder: string, maxBytes: number): Promise<Upload> {
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: req.headers, limits: { files: MAX_FILES, fields: 0 } });
  } catch (error: unknown) {
    return {
      ok: false,
      status: 400,
      problem: `the body must be multipart/form-data: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  const files: ImportFile[] = [];
  /** Each file's write, as its error or undefined: handled from the start, awaited once the body is read. */
  const writes: Promise<Error | undefined>[] = [];
  const budget = { left: maxBytes };
  let refusal: Upload | undefined;
  const tooLarge = (): void => {
    refusal ??= { ok: false, status: 413, problem: `the files of an import are larger than ${sizeText(maxBytes)} in all` };
  };
  parser.on('file', (_field, stream, info) => {
    const name = displayName(info.filename ?? '');
    const file = { path: path.join(folder, `${files.length}${path.extname(name).toLowerCase()}`), name };
    files.push(file);
    writes.push(write(stream, file.path, budget, tooLarge).then(noError, asError));
  });
  parser.on('filesLimit', () => {
    refusal ??= { ok: false, status: 413, problem: `at most ${MAX_FILES} files an import` };
  });
  // A body cut off mid-file fails the pipeline, which destroys the parser, which ends the part being written.
  const received = await pipeline(req, parser).then(noError, asError);
  // Every write is over before the folder can be removed. At most MAX_FILES: busboy starts no part past the limit.
  const written = await Promise.all(writes);
  const failure = received ?? written.find((error) => error !== undefined);
  if (failure !== undefined) {
    return {
      ok: false,
      status: 400,
      problem: `the upload could not be read: ${failure.message}`,
    };
  }
  if (refusal) return refusal;
  if (files.length === 0) return { ok: false, status: 400, problem: 'no file was sent' };
  return { ok: true, files, bytes: maxBytes - budget.left };
}

const noError = (): undefined => undefined;
const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/**
 * One part to its file, within what is left of the import's bytes: past it the rest of the part is
 * dropped. The pipeline takes the part at once, so that an error of the part (a body cut off) is
 * always this write's, even before its file is open.
 */
async function write(part: Readable, file: string, budget: { left: number }, tooLarge: () => void): Promise<void> {
  const counted = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
      budget.left -= chunk.length;
      if (budget.left >= 0) {
        done(null, chunk);
        return;
      }
      tooLarge();
      done();
    },
  });
  await pipeline(part, counted, async (chunks: AsyncIterable<Buffer>) => {
    // The file stream closes the handle when it ends, written or failed.
    await pipeline(chunks, (await createPrivateFile(file)).createWriteStream());
  });
}

function sizeText(bytes: number): string {
  const mib = bytes / 1024 / 1024;
  return Number.isInteger(mib) ? `${mib} MiB` : `${bytes.toLocaleString('en-US')} bytes`;
}

/** The name a file was sent by (the path the user gave), as problems will name it, without control characters. */
function displayName(filename: string): string {
  const base = filename.replace(/\p{Cc}/gu, '').slice(0, NAME_MAX);
  return base === '' ? 'upload' : base;
}

function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const plain = address.startsWith('::ffff:') ? address.slice(7) : address;
  return plain === '::1' || (net.isIPv4(plain) && plain.startsWith('127.'));
}
