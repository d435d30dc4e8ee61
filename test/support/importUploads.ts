import { once } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { readAdminAccess, type AdminAccess } from '../../sources/import/adminAccess';

/** What a running bot wrote beside its store for `npm run import` to find it. */
export function adminAccessOf(dataDir: string): AdminAccess {
  const access = readAdminAccess(dataDir);
  if (!access) throw new Error(`no admin access in ${dataDir}`);
  return access;
}

export interface Answer {
  readonly status: number;
  readonly body: unknown;
}

/** POST /api/admin/import with these files, as `npm run import` sends them, read from disk. */
export async function postImport(
  access: AdminAccess,
  files: readonly string[],
  options: { readonly dryRun?: boolean } = {},
): Promise<Answer> {
  const form = new FormData();
  for (const file of files) form.append('file', await fs.openAsBlob(file), path.basename(file));
  const url = new URL('/api/admin/import', access.url);
  if (options.dryRun) url.searchParams.set('dryRun', 'true');
  const response = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${access.token}` }, body: form });
  return { status: response.status, body: await response.json() };
}

export const BOUNDARY = 'import-test-boundary';

/** The opening of a file part of a multipart/form-data body. */
export function partHead(name: string): string {
  return `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n`;
}

/** A whole multipart/form-data body of these files. */
export function multipartBody(files: Readonly<Record<string, string | Buffer>>): Buffer {
  const parts = Object.entries(files).flatMap(([name, content]) => [
    Buffer.from(partHead(name)),
    Buffer.from(content),
    Buffer.from('\r\n'),
  ]);
  return Buffer.concat([...parts, Buffer.from(`--${BOUNDARY}--\r\n`)]);
}

/** An upload sent by hand, a piece at a time: for bodies cut off, encoded or sent slowly. */
export function rawImport(
  access: AdminAccess,
  headers: Readonly<Record<string, string>> = {},
): {
  readonly request: http.ClientRequest;
  readonly answer: Promise<Answer>;
} {
  const request = http.request(new URL('/api/admin/import', access.url), {
    method: 'POST',
    headers: {
      authorization: `Bearer ${access.token}`,
      'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
      ...headers,
    },
  });
  const answer = new Promise<Answer>((resolve, reject) => {
    request.once('error', reject);
    request.once('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.once('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text || 'null') }));
    });
  });
  return { request, answer };
}

/** `count` solutions of one account as CSV, the same rows whatever file they are written to. */
export async function writeSolutionsCsv(file: string, count: number, account = 'bulk', partnerId = '7100001'): Promise<string> {
  const out = fs.createWriteStream(file);
  out.write('partnerAccountId,partnerId,ocpSolutionId,name,coSellStatus,openReferrals\n');
  for (let index = 0; index < count; index++) {
    if (!out.write(`${account},${partnerId},OCP-${9_000_000 + index},"Solution ${index}, ""bulk""",coSellReady,${index % 7}\n`)) {
      await once(out, 'drain');
    }
  }
  out.end();
  await once(out, 'finish');
  return file;
}

/** One partner account and `count` of its solutions as one JSON document, a field a line, as exports are printed. */
export async function writeInventoryJson(file: string, count: number, account = 'bulk', partnerId = '7100001'): Promise<string> {
  const out = fs.createWriteStream(file);
  out.write(
    `{\n  "partners": [\n    { "partnerAccountId": "${account}", "name": "Bulk", "partnerIds": ["${partnerId}"] }\n  ],\n  "solutions": [\n`,
  );
  for (let index = 0; index < count; index++) {
    const row = `    {\n      "partnerAccountId": "${account}",\n      "partnerId": "${partnerId}",\n      "ocpSolutionId": "OCP-${9_000_000 + index}",\n      "name": "Solution ${index}, \\"bulk\\"",\n      "coSellStatus": "coSellReady",\n      "openReferrals": ${index % 7}\n    }${index === count - 1 ? '' : ','}\n`;
    if (!out.write(row)) await once(out, 'drain');
  }
  out.end('  ]\n}\n');
  await once(out, 'finish');
  return file;
}

/** The files in a bot's upload folder: none once every import is over. */
export function uploadsIn(dataDir: string): string[] {
  const root = path.join(dataDir, 'uploads');
  return fs.existsSync(root) ? fs.readdirSync(root) : [];
}

export async function healthOf(botUrl: string): Promise<number> {
  return (await fetch(new URL('/healthz', botUrl))).status;
}
