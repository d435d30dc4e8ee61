/**
 * Grammar that depends on a value only known when a message is formatted: the Korean particle after
 * a name (은/는, 이/가, 을/를 follow the sound the name ends with), and the English possessive.
 */

/** Each Korean particle pair, by either of its forms: [after a final consonant, after a vowel]. */
const PARTICLE_PAIRS: readonly (readonly [string, string])[] = [
  ['은', '는'],
  ['이', '가'],
  ['을', '를'],
  ['과', '와'],
  ['으로', '로'],
  ['이나', '나'],
  ['이라고', '라고'],
];

export const KOREAN_PARTICLES: readonly string[] = PARTICLE_PAIRS.flat();

const HANGUL_FIRST = 0xac00;
const HANGUL_LAST = 0xd7a3;
/** The final consonant index of ㄹ among a syllable's 28 endings. */
const RIEUL = 8;

/** How a value ends when read aloud in Korean: with a final consonant, and whether that is ㄹ. */
interface Ending {
  readonly consonant: boolean;
  readonly rieul: boolean;
}

const VOWEL: Ending = { consonant: false, rieul: false };
const CONSONANT: Ending = { consonant: true, rieul: false };
const RIEUL_END: Ending = { consonant: true, rieul: true };

/** How the last digit reads in Sino-Korean numbers: 영, 일, 이, 삼, 사, 오, 육, 칠, 팔, 구. */
const DIGIT_ENDINGS: readonly Ending[] = [
  CONSONANT,
  RIEUL_END,
  VOWEL,
  CONSONANT,
  VOWEL,
  VOWEL,
  CONSONANT,
  RIEUL_END,
  RIEUL_END,
  VOWEL,
];

/** Letters read by name (acronyms, single letters): 엘, 엠, 엔 and 알 end in a consonant. */
const LETTER_NAME_ENDINGS: Readonly<Record<string, Ending>> = { l: RIEUL_END, m: CONSONANT, n: CONSONANT, r: RIEUL_END };

/**
 * How a value ends when read in Korean. Hangul and digits are exact. An English word is a best
 * guess at how Korean writes it: -m, -n, -ng end in a consonant (비전, 팀), -l and -le in ㄹ (포털,
 * 모듈), anything else in a vowel (인사이츠, 허브).
 */
function endingOf(value: string): Ending {
  const trimmed = value.replace(/[^\p{L}\p{N}]+$/u, '');
  const last = trimmed.at(-1);
  if (!last) return VOWEL;
  const code = last.codePointAt(0) ?? 0;
  if (code >= HANGUL_FIRST && code <= HANGUL_LAST) {
    const final = (code - HANGUL_FIRST) % 28;
    return final === 0 ? VOWEL : final === RIEUL ? RIEUL_END : CONSONANT;
  }
  if (/\d/.test(last)) return numberEnding(/\d+$/.exec(trimmed)?.[0] ?? last);
  const word = /[A-Za-z]+$/.exec(trimmed)?.[0];
  if (!word) return VOWEL;
  if (word.length === 1 || (word.length <= 5 && word === word.toUpperCase())) {
    return LETTER_NAME_ENDINGS[word.slice(-1).toLowerCase()] ?? VOWEL;
  }
  const lower = word.toLowerCase();
  if (/(?:ng|m|n|me|ne)$/.test(lower)) return CONSONANT;
  if (/(?:l|[^aeiou]le)$/.test(lower)) return RIEUL_END;
  return VOWEL;
}

/** 10 is 십, 100 백, 1,000 천, 10,000 만; otherwise the last digit decides. */
function numberEnding(digits: string): Ending {
  const zeros = /0*$/.exec(digits)?.[0].length ?? 0;
  if (zeros === 0 || zeros === digits.length) return DIGIT_ENDINGS[Number(digits.slice(-1))] ?? VOWEL;
  return CONSONANT;
}

/** The form of `particle` (either form of its pair) that follows `value`. */
export function koreanParticle(value: string, particle: string): string {
  const pair = PARTICLE_PAIRS.find((candidate) => candidate.includes(particle));
  if (!pair) throw new Error(`Not a Korean particle: ${particle}`);
  const ending = endingOf(value);
  // 으로 goes after a consonant other than ㄹ; after ㄹ, as after a vowel, it is 로.
  if (pair[0] === '으로') return ending.consonant && !ending.rieul ? pair[0] : pair[1];
  return ending.consonant ? pair[0] : pair[1];
}

/** "Contoso's", and "Contoso Cloud Solutions'" for a name that ends in s. */
export function englishPossessive(value: string): string {
  return /s$/i.test(value) ? `${value}'` : `${value}'s`;
}
