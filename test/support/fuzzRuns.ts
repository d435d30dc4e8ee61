/**
 * How many cases a fuzz test runs: a few thousand by default, so that `npm test` stays a few minutes;
 * FUZZ_RUNS=100000 npm test -- fuzz for a long hunt. Read here, in test support, because the bot's
 * own settings are read by bot/config.ts alone, and this is no setting of the bot.
 */
export function fuzzRuns(defaultRuns: number): number {
  // eslint-disable-next-line no-restricted-properties -- a test's own knob, not a bot setting (see above)
  const given = Number(process.env.FUZZ_RUNS);
  return Number.isInteger(given) && given > 0 ? given : defaultRuns;
}
