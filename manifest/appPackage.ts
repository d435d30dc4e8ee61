import fs from 'node:fs';
import path from 'node:path';
import type { TeamsAppSettings } from '../bot/config';
import { z } from 'zod';
import { zip, type ZipEntry } from './zip';

/** The files of the package besides the manifest, as the manifest names them. */
export const ICON_FILES = ['color.png', 'outline.png'] as const;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const PLACEHOLDER = /\$\{\{(\w+)\}\}/g;

/** The manifest template with every `${{NAME}}` filled in; list entries that come out empty are dropped. */
export function renderManifest(template: Json, settings: TeamsAppSettings, version: string): Json {
  const values: Readonly<Record<string, string>> = {
    APP_VERSION: version,
    TEAMS_APP_ID: settings.appId,
    BOT_ID: settings.botId,
    APP_DEVELOPER_NAME: settings.developerName,
    APP_WEBSITE_URL: settings.websiteUrl,
    APP_PRIVACY_URL: settings.privacyUrl,
    APP_TERMS_URL: settings.termsUrl,
    APP_ACCENT_COLOR: settings.accentColor,
  };
  const fill = (node: Json): Json => {
    if (typeof node === 'string') {
      return node.replace(PLACEHOLDER, (whole, name: string) => {
        const value = values[name];
        if (value === undefined) throw new Error(`The manifest has a placeholder nothing fills: ${whole}`);
        return value;
      });
    }
    if (Array.isArray(node)) {
      // A list of one placeholder for many values, such as the valid domains.
      if (node.length === 1 && node[0] === '${{BOT_DOMAIN}}') return [...settings.validDomains];
      return node.map(fill).filter((item) => item !== '');
    }
    if (node !== null && typeof node === 'object')
      return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, fill(value)]));
    return node;
  };
  return fill(template);
}

export interface AppPackage {
  readonly manifest: Json;
  readonly zip: Buffer;
}

const localizedManifest = z.object({
  localizationInfo: z
    .object({ additionalLanguages: z.array(z.object({ languageTag: z.string(), file: z.string() })).default([]) })
    .optional(),
});

/** The translation files the manifest names, such as ko-kr.json. */
export function localizationFiles(manifest: unknown): string[] {
  return localizedManifest.parse(manifest).localizationInfo?.additionalLanguages.map((language) => language.file) ?? [];
}

const manifestCommands = z.object({
  bots: z.array(z.object({ commandLists: z.array(z.object({ commands: z.array(z.object({})) })).default([]) })).default([]),
});

/** The lengths the Teams localization schema allows the strings we translate. */
const TRANSLATED_LIMITS: Readonly<Record<string, number>> = {
  'name.short': 30,
  'name.full': 100,
  'description.short': 80,
  'description.full': 4000,
};
const COMMAND_KEY = /^bots\[0\]\.commandLists\[(\d+)\]\.commands\[(\d+)\]\.(title|description)$/;

/**
 * What is wrong with a translation of the manifest: a string the schema does not allow or that is
 * too long, a command the manifest does not have, or a name, description or command left untranslated.
 */
export function translationProblems(manifest: unknown, translation: unknown): string[] {
  const strings = z.record(z.string(), z.string()).safeParse(translation);
  if (!strings.success) return ['a translation is an object of strings'];
  const lists = manifestCommands.parse(manifest).bots[0]?.commandLists ?? [];
  const expected = new Set([
    ...Object.keys(TRANSLATED_LIMITS),
    ...lists.flatMap((list, i) =>
      list.commands.flatMap((_, j) => [
        `bots[0].commandLists[${i}].commands[${j}].title`,
        `bots[0].commandLists[${i}].commands[${j}].description`,
      ]),
    ),
  ]);
  const problems: string[] = [];
  for (const [key, value] of Object.entries(strings.data)) {
    if (key === '$schema') continue;
    const command = COMMAND_KEY.exec(key);
    const limit = TRANSLATED_LIMITS[key] ?? (command ? (command[3] === 'title' ? 128 : 4000) : undefined);
    if (!expected.has(key)) problems.push(`${key}: not a string of this manifest that Teams translates`);
    else if (limit !== undefined && (value.trim() === '' || value.length > limit))
      problems.push(`${key}: must be 1 to ${limit} characters`);
  }
  for (const key of expected) if (!(key in strings.data)) problems.push(`${key}: not translated`);
  return problems;
}

/** manifest.json, the icons and the translations, at the root of one zip, as Teams takes an app package. */
export function buildAppPackage(manifestDir: string, settings: TeamsAppSettings, version: string): AppPackage {
  const template = JSON.parse(fs.readFileSync(path.join(manifestDir, 'manifest.json'), 'utf8')) as Json;
  const manifest = renderManifest(template, settings, version);
  const entries: ZipEntry[] = [
    { name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8') },
    ...[...ICON_FILES, ...localizationFiles(manifest)].map((name) => ({
      name,
      data: fs.readFileSync(path.join(manifestDir, name)),
    })),
  ];
  return { manifest, zip: zip(entries) };
}
