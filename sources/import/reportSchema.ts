import { z } from 'zod';
import type { ImportReport } from './importer';

/** An import's report as the running bot answers it to `npm run import`, checked on arrival. */
const outcomes = z.object({
  added: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  kept: z.number(),
});
const read = z.object({ rows: z.number(), refused: z.number() });
const perKind = <T extends z.ZodType>(schema: T) =>
  z.object({ partners: schema, members: schema, offers: schema, solutions: schema });

export const importReportSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    dryRun: z.boolean(),
    read: perKind(read),
    summary: z.object({
      counts: perKind(outcomes),
      missingSolutions: z.object({ total: z.number(), ids: z.array(z.string()) }),
    }),
  }),
  z.object({
    ok: z.literal(false),
    read: perKind(read),
    problems: z.array(z.object({ file: z.string(), line: z.number(), column: z.string(), reason: z.string() })),
    problemCount: z.number(),
  }),
]) satisfies z.ZodType<ImportReport>;
