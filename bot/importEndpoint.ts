import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import type restify from 'restify';
import type { ImportFile } from '../sources/import/files';
import type { InventoryImporter } from '../sources/import/importer';
import type { Logger } from './logger';
import { bearerMatches } from './secrets';

export interface ImportEndpointDeps {
  readonly importer: InventoryImporter;
  readonly token: string;
  /** An operator's token may be used from anywhere; the bot's own, written beside the store, from this machine only. */
  readonly remoteAllowed: boolean;
  /** Where uploads are kept while they are imported: on the store's disk. */
  readonly uploadDir: string;
  readonly log: Logger;
}

const MAX_FILES = 20;
const MAX_FILE_BYTES = 512 * 1024 * 1024;
const NAME_MAX = 200;

/**
 * POST /api/admin/import: the files of an import as multipart/form-data, one part per file named
 * by its file name, `?dryRun=true` to check without writing. What `npm run import` sends when the
 * running bot holds the store. Answers the import's report; 401 without the token, 409 while
 * another import runs, 400 for a body that is not such an upload.
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
    if (running) {
      res.send(409, { error: 'Conflict', problems: ['another import is running; try again when it is done'] });
      return;
    }
    running = true;
    const folder = path.join(deps.uploadDir, randomUUID());
    try {
      const upload = await receive(req, folder);
      if (!upload.ok) {
        res.send(upload.status, { error: upload.status === 413 ? 'PayloadTooLarge' : 'BadRequest', problems: [upload.problem] });
        return;
      }
      const dryRun = new URL(req.url ?? '/', 'http://bot').searchParams.get('dryRun') === 'true';
      const report = await deps.importer.run(upload.files, { dryRun, actor: 'import through the running bot' });
      deps.log.info({ files: upload.files.map((file) => file.name), dryRun, ok: report.ok }, 'inventory import');
      res.send(200, report);
    } finally {
      running = false;
      await fs.promises.rm(folder, { recursive: true, force: true });
    }
  };
}

type Upload =
  | { readonly ok: true; readonly files: readonly ImportFile[] }
  | { readonly ok: false; readonly status: 400 | 413; readonly problem: string };

/** Streams each file part to its own file in `folder`; nothing of an upload is held in memory. */
async function receive(req: restify.Request, folder: string): Promise<Upload> {
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: req.headers, limits: { files: MAX_FILES, fileSize: MAX_FILE_BYTES, fields: 0 } });
  } catch (error: unknown) {
    return {
      ok: false,
      status: 400,
      problem: `the body must be multipart/form-data: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  await fs.promises.mkdir(folder, { recursive: true });
  const files: ImportFile[] = [];
  const writes: Promise<void>[] = [];
  let refusal: Upload | undefined;
  parser.on('file', (_field, stream, info) => {
    const name = displayName(info.filename ?? '');
    const file = { path: path.join(folder, `${files.length}${path.extname(name).toLowerCase()}`), name };
    files.push(file);
    stream.on('limit', () => {
      refusal ??= { ok: false, status: 413, problem: `${name} is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB` };
    });
    writes.push(pipeline(stream, fs.createWriteStream(file.path)));
  });
  parser.on('filesLimit', () => {
    refusal ??= { ok: false, status: 413, problem: `at most ${MAX_FILES} files an import` };
  });
  try {
    await pipeline(req, parser);
    await Promise.all(writes);
  } catch (error: unknown) {
    return {
      ok: false,
      status: 400,
      problem: `the upload could not be read: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  if (refusal) return refusal;
  if (files.length === 0) return { ok: false, status: 400, problem: 'no file was sent' };
  return { ok: true, files };
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
