/** A stored enum value, checked on the way out: a value the code does not know is a corrupt row. */
export function oneOf<T extends string>(allowed: readonly T[], value: string, column: string): T {
  const found = allowed.find((candidate) => candidate === value);
  if (found === undefined) throw new Error(`Unexpected value in ${column}: ${JSON.stringify(value)}`);
  return found;
}

export function stringArray(json: string, column: string): string[] {
  const parsed: unknown = JSON.parse(json);
  if (!Array.isArray(parsed) || !parsed.every((item): item is string => typeof item === 'string')) {
    throw new Error(`Unexpected value in ${column}: ${json}`);
  }
  return parsed;
}
