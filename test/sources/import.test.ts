import fs from 'node:fs';
import path from 'node:path';
import { fixedClock } from '../support/dialogHarness';
import { temporaryDataDir } from '../support/testApp';
import type { ImportFile } from '../../sources/import/files';
import { InventoryImporter, problemLine, type ImportReport } from '../../sources/import/importer';
import { reportLines } from '../../sources/import/report';
import { stagingTablePrefix } from '../../store/postgres/pgInventory';
import { describeEachStore, openTestStores, type TestStores } from '../support/stores';

const EXAMPLES = path.resolve(__dirname, '../../sources/import/examples');
const EXAMPLE_CSV = ['partners.csv', 'members.csv', 'offers.csv', 'solutions.csv'].map((name) => path.join(EXAMPLES, name));
const TENANT = '3f1c6a52-7d0e-4b8e-9a31-5c2d8e7f4a10';

const PARTNERS = `partnerAccountId,name,partnerIds,tenantIds
fabrikam,Fabrikam,4301877;4301902,${TENANT}
`;

describeEachStore('importing inventory files', (kind) => {
  let stores: TestStores;
  let dir: string;
  let importer: InventoryImporter;

  beforeEach(async () => {
    stores = await openTestStores(kind);
    dir = temporaryDataDir();
    importer = new InventoryImporter(stores.inventory, fixedClock);
  });
  afterEach(() => stores.close());

  /** Writes files into the test's folder; a file is named by what the test calls it. */
  function files(contents: Record<string, string | Buffer>): ImportFile[] {
    return Object.entries(contents).map(([name, content]) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, content);
      return { path: file, name };
    });
  }

  function run(inputs: readonly ImportFile[], dryRun = false): Promise<ImportReport> {
    return importer.run(inputs, { dryRun, actor: 'test' });
  }

  const examples = (): ImportFile[] => EXAMPLE_CSV.map((file) => ({ path: file, name: path.basename(file) }));
  const count = async (table: string): Promise<number> =>
    Number((await stores.row<{ n: number }>(`SELECT count(*) AS n FROM ${table}`)).n);
  /** Staging tables left behind, on any connection: an import, refused or not, leaves none. */
  const staging = async (): Promise<number> =>
    Number(
      (kind === 'sqlite'
        ? await stores.row<{ n: number }>("SELECT count(*) AS n FROM temp.sqlite_master WHERE type = 'table'")
        : await stores.row<{ n: number }>(
            'SELECT count(*) AS n FROM pg_tables WHERE starts_with(tablename, ?)',
            stagingTablePrefix(await schemaName()),
          )
      ).n,
    );
  const schemaName = async (): Promise<string> => (await stores.row<{ s: string }>('SELECT current_schema() AS s')).s;
  const solution = async (id: string) =>
    (
      await stores.sql<Record<string, unknown>>('SELECT name, status, version, open_referrals FROM solutions WHERE id = ?', id)
    )[0];

  test('the example files import, with their Korean solution name, and say what they added', async () => {
    const report = await run(examples());
    expect(report.ok).toBe(true);
    if (!report.ok) return;
    expect(report.summary.counts).toEqual({
      partners: { added: 1, updated: 0, unchanged: 0, kept: 0 },
      members: { added: 4, updated: 0, unchanged: 0, kept: 0 },
      offers: { added: 2, updated: 0, unchanged: 0, kept: 0 },
      solutions: { added: 4, updated: 0, unchanged: 0, kept: 0 },
    });
    expect(await solution('OCP-2200103')).toMatchObject({ name: '패브리캄 스마트 팩토리', status: 'pendingAction' });
    expect(await solution('OCP-2200104')).toMatchObject({ status: 'migratedAsDraft' });
    expect(await solution('OCP-2200102')).toMatchObject({ name: 'Fabrikam Insights, "Retail" edition' });
    expect(reportLines(report).at(-1)).toBe('Imported.');
  });

  test('the same files again change nothing, and say so; the JSON document holds the same rows', async () => {
    await run(examples());
    const runs = await count('import_changes');
    for (const inputs of [examples(), [{ path: path.join(EXAMPLES, 'inventory.json'), name: 'inventory.json' }]]) {
      const again = await run(inputs);
      expect(again.ok && again.summary.counts.solutions).toEqual({ added: 0, updated: 0, unchanged: 4, kept: 0 });
      expect(reportLines(again).at(-1)).toBe('Nothing changed: the store already holds these rows as they are in the files.');
    }
    expect(await count('import_changes')).toBe(runs);
  });

  test.each<[string, Record<string, string | Buffer>, string[]]>([
    [
      'an unknown role',
      { 'partners.csv': PARTNERS, 'members.csv': 'partnerAccountId,userId,displayName,role\nfabrikam,u1,U,admin\n' },
      ['members.csv:2: role: must be one of owner, manager, developer, businessContributor, financialContributor, marketer'],
    ],
    [
      'a member of an unknown account',
      { 'members.csv': 'partnerAccountId,userId,displayName,role\nghost,u1,U,owner\n' },
      ['members.csv:2: partnerAccountId: no partner account ghost, in this import or stored'],
    ],
    [
      'a solution of an unknown PartnerID',
      { 'partners.csv': PARTNERS, 'solutions.csv': 'partnerAccountId,partnerId,ocpSolutionId,name\nfabrikam,999,OCP-1,X\n' },
      ['solutions.csv:2: partnerId: 999 is not a PartnerID of partner account fabrikam'],
    ],
    [
      'a solution of an unknown account',
      { 'solutions.csv': 'partnerAccountId,partnerId,ocpSolutionId,name\nnobody,1,OCP-1,X\n' },
      ['solutions.csv:2: partnerAccountId: no partner account nobody, in this import or stored'],
    ],
    [
      'duplicate ids',
      {
        'partners.csv': PARTNERS,
        'solutions.csv': 'partnerAccountId,partnerId,ocpSolutionId,name\nfabrikam,4301877,OCP-1,X\nfabrikam,4301877,OCP-1,Y\n',
      },
      ['solutions.csv:3: ocpSolutionId: OCP-1 is listed twice (first at solutions.csv:2)'],
    ],
    [
      'a PartnerID claimed by two accounts',
      { 'partners.csv': `${PARTNERS}tailspin,Tailspin,4301877,\n` },
      ['partners.csv:3: partnerIds: PartnerID 4301877 belongs to partner account fabrikam'],
    ],
    [
      'fields of the wrong form',
      {
        'partners.csv': 'partnerAccountId,name,partnerIds,marketplaceEnrolled,tenantIds\nfabrikam,F,12a,maybe,not-a-guid\n',
      },
      [
        'partners.csv:2: partnerIds: must be PartnerIDs: digits, separated by ;',
        'partners.csv:2: marketplaceEnrolled: must be true or false',
        'partners.csv:2: tenantIds: must be Entra tenant ids (GUIDs), separated by ;',
      ],
    ],
    [
      'counts that are not whole numbers, and a listing elsewhere',
      {
        'partners.csv': PARTNERS,
        'solutions.csv':
          'partnerAccountId,partnerId,ocpSolutionId,name,openReferrals,collateralDocuments\nfabrikam,4301877,OCP-1,X,-1,2.5\n',
        'offers.csv':
          'partnerAccountId,offerId,publisherId,name,offerType,publishingState,listingUrl\nfabrikam,o,p,O,saas,live,https://example.com/x\n',
      },
      [
        'solutions.csv:2: openReferrals: must be a whole number, 0 or more',
        'solutions.csv:2: collateralDocuments: must be a whole number, 0 or more',
        'offers.csv:2: listingUrl: must be a listing on AppSource or Azure Marketplace (notMarketplaceHost)',
      ],
    ],
    [
      'a CSV quote left open',
      { 'partners.csv': 'partnerAccountId,name,partnerIds\nfabrikam,"Fabrikam,1\n' },
      ['partners.csv:2: csv: is not valid CSV: Quote Not Closed: the parsing is finished with an opening quote at line 2'],
    ],
    [
      'a header without a required column',
      { 'solutions.csv': 'partnerAccountId,ocpSolutionId,name\nfabrikam,OCP-1,X\n' },
      ['solutions.csv:1: header: has no column partnerId, which solutions need'],
    ],
    [
      'a file that names no kind',
      { 'export.csv': 'id,title\n1,x\n' },
      [
        'export.csv:1: header: does not tell which kind of rows the file holds: name it after a kind (partners, members, offers, solutions) or give their fields',
      ],
    ],
    [
      'JSON that does not parse',
      { 'inventory.json': '{\n  "partners": [\n    { "partnerAccountId": "x", }\n  ]\n}\n' },
      [expect.stringMatching(/^inventory\.json:3: json: is not valid JSON: /)],
    ],
    [
      'JSON with a list of another name, and a row that is not an object',
      { 'inventory.json': '{\n  "partners": [\n    42\n  ],\n  "solution": []\n}\n' },
      ['inventory.json:5: solution: is not one of partners, members, offers, solutions'],
    ],
    [
      'a JSON row that is not an object',
      { 'inventory.json': '{\n  "partners": [\n    42\n  ]\n}\n' },
      ['inventory.json:3: row: must be an object of fields'],
    ],
    [
      'bytes that are not UTF-8 in a CSV row, among good rows',
      {
        'partners.csv': PARTNERS,
        'solutions.csv': Buffer.concat([
          Buffer.from('partnerAccountId,partnerId,ocpSolutionId,name\nfabrikam,4301877,OCP-1,Good\nfabrikam,4301877,OCP-2,Caf'),
          Buffer.from([0xe9]),
          Buffer.from(' Ol'),
          Buffer.from([0xc3, 0x28]),
          Buffer.from('\nfabrikam,4301877,OCP-3,한국\n'),
        ]),
      },
      ['solutions.csv:3: name: is not valid UTF-8'],
    ],
    [
      'bytes that are not UTF-8 in a CSV header',
      {
        'solutions.csv': Buffer.concat([
          Buffer.from('partnerAccountId,partnerId,ocpSolutionId,name,not'),
          Buffer.from([0xff]),
          Buffer.from('es\n'),
        ]),
      },
      ['solutions.csv:1: header: is not valid UTF-8'],
    ],
    [
      'bytes that are not UTF-8 in a JSON row, reported at the line the row starts on',
      {
        'inventory.json': Buffer.concat([
          Buffer.from('{\n  "partners": [\n    {\n      "partnerAccountId": "fabrikam",\n      "name": "Fab'),
          Buffer.from([0xf0, 0x9f, 0x98]),
          Buffer.from('",\n      "partnerIds": ["4301877"]\n    }\n  ]\n}\n'),
        ]),
      },
      ['inventory.json:3: name: is not valid UTF-8'],
    ],
    [
      'bytes that are not UTF-8 in a JSON key outside the rows',
      { 'inventory.json': Buffer.concat([Buffer.from('{\n  "part'), Buffer.from([0xfe]), Buffer.from('ners": []\n}\n')]) },
      ['inventory.json:2: json: is not valid UTF-8'],
    ],
    [
      'JSON nested deeper than a row can be',
      { 'inventory.json': `{"partners": [{"partnerAccountId": "x", "notes": ${'['.repeat(8)}1${']'.repeat(8)}}]}` },
      ['inventory.json:1: json: is nested deeper than 8 levels'],
    ],
    [
      'a JSON document cut short',
      { 'inventory.json': '{\n  "partners": [\n    { "partnerAccountId": "x" }' },
      ['inventory.json:3: json: is not valid JSON: the document ends before it is complete'],
    ],
    [
      'a row listed twice in a JSON document on one line',
      {
        'inventory.json': JSON.stringify({
          partners: [{ partnerAccountId: 'fabrikam', name: 'F', partnerIds: ['4301877'] }],
          solutions: [1, 2].map(() => ({
            partnerAccountId: 'fabrikam',
            partnerId: '4301877',
            ocpSolutionId: 'OCP-1',
            name: 'X',
          })),
        }),
      },
      ['inventory.json:1: ocpSolutionId: OCP-1 is listed twice (first at inventory.json:1)'],
    ],
    [
      'a CSV record longer than any row',
      { 'solutions.csv': `partnerAccountId,partnerId,ocpSolutionId,name\nfabrikam,4301877,OCP-1,${'x'.repeat(70_000)}\n` },
      [expect.stringMatching(/^solutions\.csv:2: csv: is not valid CSV: .*maximum/)],
    ],
    [
      'one member listed twice, by an Entra object id written in two cases',
      {
        'partners.csv': PARTNERS,
        'members.csv': `partnerAccountId,userId,displayName,role,tenantId
fabrikam,0b6d2f9e-3c4a-4d8e-8f21-7a9b5c3d1e02,Ana Ruiz,owner,${TENANT}
fabrikam,0B6D2F9E-3C4A-4D8E-8F21-7A9B5C3D1E02,Ana R.,manager,${TENANT}
`,
      },
      ['members.csv:3: userId: 0B6D2F9E-3C4A-4D8E-8F21-7A9B5C3D1E02 is the same member as the row at members.csv:2'],
    ],
  ])('%s is refused with the reason, and nothing is written', async (_label, contents, expected) => {
    const report = await run(files(contents));
    expect(report.ok).toBe(false);
    if (report.ok) return;
    expect(report.problems.map(problemLine)).toEqual(expected);
    expect(
      await Promise.all([count('partner_accounts'), count('members'), count('solutions'), count('offers'), staging()]),
    ).toEqual([0, 0, 0, 0, 0]);
  });

  test('every problem of every file is reported, in file order, and one bad row keeps the good ones out', async () => {
    const report = await run(
      files({
        'solutions.csv': 'partnerAccountId,partnerId,ocpSolutionId,name\nfabrikam,4301877,OCP-1,Good\nfabrikam,4301877,,Bad\n',
        'partners.csv': PARTNERS,
        'members.csv': 'partnerAccountId,userId,displayName,role\nfabrikam,u1,U,owner\nfabrikam,u2,,owner\n',
      }),
    );
    expect(!report.ok && report.problems.map(problemLine)).toEqual([
      'solutions.csv:3: ocpSolutionId: required',
      'members.csv:3: displayName: required',
    ]);
    expect(!report.ok && report.read).toMatchObject({ partners: { rows: 1, refused: 0 }, solutions: { rows: 2, refused: 1 } });
    expect(await count('partner_accounts')).toBe(0);
  });

  test('a UTF-8 BOM, quoted commas, quotes and line breaks read as written; extra columns are allowed', async () => {
    const csv = `\uFEFFpartnerAccountId,partnerId,ocpSolutionId,name,notes
fabrikam,4301877,OCP-1,"Fabrikam ""Pro"", Edition","two
lines"

fabrikam,4301877,OCP-2,,
fabrikam,4301877,OCP-3,Third,"x
y",oops
`;
    const report = await run(files({ 'partners.csv': PARTNERS, 'solutions.csv': csv }));
    // Rows are reported at the line they start on, after line breaks in fields and empty lines.
    expect(!report.ok && report.problems.map(problemLine)).toEqual([
      'solutions.csv:5: name: required',
      'solutions.csv:7: csv: is not valid CSV: columns length is 5, got 6 on line 7',
    ]);
    const fixed = await run(
      files({ 'partners.csv': PARTNERS, 'solutions.csv': csv.replace('OCP-2,,', 'OCP-2,Second,').replace(',oops', '') }),
    );
    expect(fixed.ok).toBe(true);
    expect(await solution('OCP-1')).toMatchObject({ name: 'Fabrikam "Pro", Edition' });
  });

  test('a re-import keeps what was decided in the bot, updates the rest, and reports what is missing', async () => {
    await run(examples());
    await stores.sql("UPDATE solutions SET status = 'discarded', version = version + 1 WHERE id = 'OCP-2200101'");
    const changed = `partnerAccountId,partnerId,ocpSolutionId,name,coSellStatus,openReferrals,collateralDocuments,migratedAsDraft
fabrikam,4301877,OCP-2200101,Renamed while discarded,coSellReady,9,5,false
fabrikam,4301877,OCP-2200102,"Fabrikam Insights, ""Retail"" edition",incentiveEligible,20,12,false
fabrikam,4301902,OCP-2200104,Fabrikam Legacy Connector,notReady,0,1,false
`;
    const before = await solution('OCP-2200104');
    const report = await run(files({ 'solutions-2.csv': changed }));
    expect(report.ok && report.summary).toEqual({
      counts: expect.objectContaining({ solutions: { added: 0, updated: 2, unchanged: 0, kept: 1 } }),
      missingSolutions: { total: 1, ids: ['OCP-2200103'] },
    });
    expect(await solution('OCP-2200101')).toMatchObject({ name: 'Fabrikam Route Optimizer', status: 'discarded' });
    expect(await solution('OCP-2200102')).toMatchObject({ open_referrals: 20, status: 'pendingAction' });
    // No longer a draft: the status changes, and with it the version a racing decision is checked against.
    expect(await solution('OCP-2200104')).toMatchObject({ status: 'pendingAction', version: Number(before?.version) + 1 });
    expect(await solution('OCP-2200103')).toBeDefined();
    expect(reportLines(report)).toEqual(
      expect.arrayContaining([
        '1 stored solution of these partner accounts is not in the files; kept as it is, not deleted:',
        '  OCP-2200103',
        'Imported. 1 solution with a decision made in the bot was kept as decided.',
      ]),
    );
    expect(
      await stores.sql("SELECT key, outcome, fields, file FROM import_changes WHERE file = 'solutions-2.csv' ORDER BY key"),
    ).toEqual([
      { key: 'OCP-2200102', outcome: 'updated', fields: '["openReferrals"]', file: 'solutions-2.csv' },
      { key: 'OCP-2200104', outcome: 'updated', fields: '["status"]', file: 'solutions-2.csv' },
    ]);
  });

  test('a dry run says what would change and writes nothing', async () => {
    const report = await run(examples(), true);
    expect(report.ok && report.summary.counts.solutions.added).toBe(4);
    expect(reportLines(report).at(-1)).toBe('Dry run: nothing was written.');
    expect(await Promise.all([count('partner_accounts'), count('solutions'), count('import_runs'), staging()])).toEqual([
      0, 0, 0, 0,
    ]);
  });

  test('a solution stored under another account is refused', async () => {
    await run(examples());
    const report = await run(
      files({
        'partners.csv': 'partnerAccountId,name,partnerIds\ntailspin,Tailspin,5550001\n',
        'solutions.csv': 'partnerAccountId,partnerId,ocpSolutionId,name\ntailspin,5550001,OCP-2200101,Taken\n',
      }),
    );
    expect(!report.ok && report.problems.map(problemLine)).toEqual([
      'solutions.csv:2: ocpSolutionId: OCP-2200101 belongs to partner account fabrikam',
    ]);
  });

  test.each<
    [string, { userId: string; tenantId?: string; aadObjectId?: string; userPrincipalName?: string }, string | undefined]
  >([
    [
      'by Entra object id in the member tenant',
      { userId: '29:x', tenantId: TENANT, aadObjectId: '0B6D2F9E-3C4A-4D8E-8F21-7A9B5C3D1E02' },
      'Ana Ruiz',
    ],
    [
      'not by object id from another tenant',
      { userId: '29:x', tenantId: '11111111-2222-3333-4444-555555555555', aadObjectId: '0b6d2f9e-3c4a-4d8e-8f21-7a9b5c3d1e02' },
      undefined,
    ],
    [
      'by UPN, in a tenant of the partner',
      { userId: '29:y', tenantId: TENANT, userPrincipalName: 'KIM.MINJI@fabrikam.example' },
      '김민지',
    ],
    ['by channel user id', { userId: 'fabrikam-developer' }, 'Lee Jun'],
  ])('an imported member is found %s', async (_label, identity, expected) => {
    await run(examples());
    const member = await stores.partners.findMember(identity);
    expect(member?.displayName).toBe(expected);
  });
  test('two imports at once both land, one after the other, each with its own audit', async () => {
    const renamed = (name: string) =>
      files({ [`${name}.csv`]: `partnerAccountId,partnerId,ocpSolutionId,name\nfabrikam,4301877,OCP-2200101,${name}\n` });
    await run(examples());
    const [first, second] = await Promise.all([run(renamed('First')), run(renamed('Second'))]);
    expect([first.ok, second.ok]).toEqual([true, true]);
    // Whichever went second compared with what the first wrote: both saw a change to make.
    expect([first.ok && first.summary.counts.solutions.updated, second.ok && second.summary.counts.solutions.updated]).toEqual([
      1, 1,
    ]);
    expect(['First', 'Second']).toContain((await solution('OCP-2200101'))?.name);
    expect(await count('import_runs')).toBe(3);
    expect(await staging()).toBe(0);
  });

  test('an import that fails while applying writes nothing, and gives back what it held', async () => {
    // Past the importer's checks, a row the store refuses: a solution of an account that is not there.
    const solution = {
      partnerAccountId: 'ghost',
      partnerId: '1',
      ocpSolutionId: 'OCP-9',
      name: 'Nobody',
      coSellStatus: 'notReady',
      openReferrals: 0,
      collateralDocuments: 0,
      migratedAsDraft: false,
    } as const;
    const partner = {
      partnerAccountId: 'tailspin',
      name: 'Tailspin',
      partnerIds: ['5550001'],
      cloudPartnerProgramActive: true,
      marketplaceEnrolled: true,
      tenantIds: [],
    };
    // More failed imports than the test pool has connections: one that kept its connection would stall the next.
    for (let attempt = 0; attempt < 6; attempt++) {
      const staged = await stores.inventory.beginImport();
      await staged.stage([
        { kind: 'partners', record: partner, file: 'p.json', line: 1 },
        { kind: 'solutions', record: solution, file: 's.json', line: 1 },
      ]);
      // By its code: the SQLite addon's errors come from the realm of its first load, not this file's.
      const failed = await staged.apply({ at: fixedClock.now(), actor: 'test', files: ['s.json'] }, { dryRun: false }).then(
        () => 'applied',
        (error: unknown) => error,
      );
      expect(failed).toMatchObject({ code: kind === 'sqlite' ? 'SQLITE_CONSTRAINT_FOREIGNKEY' : '23503' });
    }
    expect(await Promise.all([count('partner_accounts'), count('solutions'), count('import_runs'), staging()])).toEqual([
      0, 0, 0, 0,
    ]);
    expect((await run(examples())).ok).toBe(true);
  });

  test('a member is the same member as a stored one found by Entra object id: two rows of them are refused', async () => {
    await run(examples());
    // Stored under the UPN; this row names their object id, and the next their UPN.
    await stores.sql(
      "UPDATE members SET aad_object_id = '5d1e0f52-0000-4000-8000-000000000001' WHERE user_id = 'kim.minji@fabrikam.example'",
    );
    const report = await run(
      files({
        'members.csv': `partnerAccountId,userId,displayName,role,tenantId
fabrikam,5d1e0f52-0000-4000-8000-000000000001,Kim,manager,${TENANT}
fabrikam,kim.minji@fabrikam.example,Kim Minji,manager,${TENANT}
`,
      }),
    );
    expect(!report.ok && report.problems.map(problemLine)).toEqual([
      'members.csv:3: userId: kim.minji@fabrikam.example is the same member as the row at members.csv:2',
    ]);
  });

  test('a PartnerID stored under another account is refused', async () => {
    await run(examples());
    const report = await run(files({ 'partners.csv': 'partnerAccountId,name,partnerIds\ntailspin,Tailspin,5550001;4301902\n' }));
    expect(!report.ok && report.problems.map(problemLine)).toEqual([
      'partners.csv:2: partnerIds: PartnerID 4301902 belongs to partner account fabrikam',
    ]);
  });

  test('three files repeating the same rows: the first 1,000 problems in file order, and how many there are', async () => {
    const rows = 700;
    const csv = `partnerAccountId,partnerId,ocpSolutionId,name\n${Array.from({ length: rows }, (_, index) => `fabrikam,4301877,OCP-${index},S ${index}\n`).join('')}`;
    const report = await run(
      files({ 'partners.csv': PARTNERS, 'solutions-1.csv': csv, 'solutions-2.csv': csv, 'solutions-3.csv': csv }),
    );
    expect(report.ok).toBe(false);
    if (report.ok) return;
    expect(report.problemCount).toBe(2 * rows);
    expect(report.problems).toHaveLength(1000);
    expect(report.problems.map(problemLine).slice(0, 1)).toEqual([
      'solutions-2.csv:2: ocpSolutionId: OCP-0 is listed twice (first at solutions-1.csv:2)',
    ]);
    expect(problemLine(report.problems[999]!)).toBe(
      `solutions-3.csv:${1000 - rows + 1}: ocpSolutionId: OCP-${1000 - rows - 1} is listed twice (first at solutions-1.csv:${1000 - rows + 1})`,
    );
    expect(report.read.solutions).toEqual({ rows: 3 * rows, refused: 2 * rows });
    const lines = reportLines(report);
    expect(lines.slice(999, 1001)).toEqual([problemLine(report.problems[999]!), '… and 400 more']);
    expect(lines.at(-1)).toBe('Nothing was imported: 1,400 problems in 1,400 rows. Correct the files and run the import again.');
    expect(await Promise.all([count('partner_accounts'), count('solutions'), staging()])).toEqual([0, 0, 0]);
  });

  test('a dry run of more rows than a batch counts what the import then does, and writes nothing', async () => {
    const solutions = `partnerAccountId,partnerId,ocpSolutionId,name\n${Array.from({ length: 600 }, (_, index) => `fabrikam,4301877,OCP-${index},S ${index}\n`).join('')}`;
    const members = `partnerAccountId,userId,displayName,role\n${Array.from({ length: 300 }, (_, index) => `fabrikam,user-${index},U ${index},developer\n`).join('')}`;
    const inputs = files({ 'partners.csv': PARTNERS, 'members.csv': members, 'solutions.csv': solutions });
    const dry = await run(inputs, true);
    expect(await Promise.all([count('partner_accounts'), count('members'), count('solutions'), count('import_runs')])).toEqual([
      0, 0, 0, 0,
    ]);
    const applied = await run(inputs);
    expect(dry.ok && dry.summary).toEqual(applied.ok && applied.summary);
    expect(applied.ok && applied.summary.counts).toMatchObject({
      partners: { added: 1 },
      members: { added: 300 },
      solutions: { added: 600 },
    });
    expect(await stores.sql('SELECT state FROM import_runs')).toEqual([{ state: 'done' }]);
  });

  test('a run a stopped process left applying is marked interrupted, once', async () => {
    await run(examples());
    await stores.sql("UPDATE import_runs SET state = 'applying'");
    expect(await stores.inventory.markInterruptedRuns()).toEqual([
      { id: expect.any(Number), at: fixedClock.now(), actor: 'test', files: EXAMPLE_CSV.map((file) => path.basename(file)) },
    ]);
    expect(await stores.inventory.markInterruptedRuns()).toEqual([]);
    expect(await stores.sql('SELECT state FROM import_runs')).toEqual([{ state: 'interrupted' }]);
  });

  test('an apply that fails past its first batch: in the embedded store the batches before it stay, and the run says failed', async () => {
    const partners = Array.from({ length: 260 }, (_, index) => ({
      kind: 'partners' as const,
      record: {
        partnerAccountId: `p-${index}`,
        name: `P ${index}`,
        partnerIds: [String(9_000_000 + index)],
        cloudPartnerProgramActive: true,
        marketplaceEnrolled: true,
        tenantIds: [],
      },
      file: 'p.json',
      line: index + 1,
    }));
    const ghost = {
      kind: 'solutions' as const,
      record: {
        partnerAccountId: 'ghost',
        partnerId: '1',
        ocpSolutionId: 'OCP-9',
        name: 'Nobody',
        coSellStatus: 'notReady' as const,
        openReferrals: 0,
        collateralDocuments: 0,
        migratedAsDraft: false,
      },
      file: 's.json',
      line: 1,
    };
    const staged = await stores.inventory.beginImport();
    await staged.stage([...partners, ghost]);
    const failed = await staged
      .apply({ at: fixedClock.now(), actor: 'test', files: ['p.json', 's.json'] }, { dryRun: false })
      .then(
        () => 'applied',
        (error: unknown) => error,
      );
    expect(failed).toMatchObject({ code: kind === 'sqlite' ? 'SQLITE_CONSTRAINT_FOREIGNKEY' : '23503' });
    // The embedded store applies 250 rows a transaction; the shared one applies all in one.
    expect(await Promise.all([count('partner_accounts'), stores.sql('SELECT state FROM import_runs'), staging()])).toEqual(
      kind === 'sqlite' ? [250, [{ state: 'failed' }], 0] : [0, [], 0],
    );
  });
});
