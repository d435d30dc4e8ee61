import fs from 'node:fs';
import path from 'node:path';
import type { TeamsAppSettings } from '../bot/config';
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

/** manifest.json and the icons, at the root of one zip, as Teams takes an app package. */
export function buildAppPackage(manifestDir: string, settings: TeamsAppSettings, version: string): AppPackage {
  const template = JSON.parse(fs.readFileSync(path.join(manifestDir, 'manifest.json'), 'utf8')) as Json;
  const manifest = renderManifest(template, settings, version);
  const entries: ZipEntry[] = [
    { name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8') },
    ...ICON_FILES.map((name) => ({ name, data: fs.readFileSync(path.join(manifestDir, name)) })),
  ];
  return { manifest, zip: zip(entries) };
}
