import fs from 'node:fs';
import path from 'node:path';

const INFRA = path.resolve(__dirname, '..', '..', 'infra');

function webAppBicep(): string {
  return fs.readFileSync(path.join(INFRA, 'modules', 'webApp.bicep'), 'utf8');
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((entry) => typeof entry === 'string')
  );
}

/** One section of infra/appSettings.json: "bot", settings of bot/config.ts; "platform", App Service's own. */
export function appSettingsSection(name: 'bot' | 'platform'): Record<string, string> {
  const file: unknown = JSON.parse(fs.readFileSync(path.join(INFRA, 'appSettings.json'), 'utf8'));
  const value: unknown = typeof file === 'object' && file !== null ? Reflect.get(file, name) : undefined;
  if (!isStringRecord(value)) throw new Error(`appSettings.json: "${name}" must be an object of strings`);
  return value;
}

/** infra/appSettings.json's two sections, as the Bicep puts them into the app settings. */
function fileSettings(): Record<string, string> {
  return { ...appSettingsSection('platform'), ...appSettingsSection('bot') };
}

/** The names of the settings webApp.bicep's appsettings resource writes itself, conditional ones too. */
export function bicepSettingNames(): string[] {
  const bicep = webAppBicep();
  const union = bicep.indexOf('properties: union(', bicep.indexOf("name: 'appsettings'"));
  const end = bicep.indexOf('\n}\n', union);
  if (union < 0 || end < 0) throw new Error('webApp.bicep: no appsettings resource with properties: union(...)');
  return [...bicep.slice(union + 'properties: union('.length, end).matchAll(/^\s*([A-Za-z_][A-Za-z0-9_]*): /gm)].map(
    ([, name]) => name ?? '',
  );
}

/** The Web App's startup command: siteConfig.appCommandLine in webApp.bicep. */
export function appCommandLine(): string {
  const command = /appCommandLine: '([^']*)'/.exec(webAppBicep())?.[1];
  if (command === undefined) throw new Error('webApp.bicep: no appCommandLine');
  return command;
}

/** The Node major of the Web App's runtime stack: its linuxFxVersion, NODE|<major>-lts. */
export function webAppNodeMajor(): number {
  const major = /linuxFxVersion: 'NODE\|(\d+)-lts'/.exec(webAppBicep())?.[1];
  if (major === undefined) throw new Error("webApp.bicep: no linuxFxVersion 'NODE|<major>-lts'");
  return Number(major);
}

/**
 * The Web App's app settings: infra/appSettings.json, then the deployment's own, whose values the
 * caller gives for every setting webApp.bicep writes, null for one that this deployment leaves out
 * (the database's without a database, say). A setting the Bicep gains and the caller does not know
 * of fails here, so that a test of the deployment follows its settings.
 */
export function webAppSettings(deployed: Readonly<Record<string, string | null>>): Record<string, string> {
  const names = bicepSettingNames();
  const unknown = Object.keys(deployed).filter((name) => !names.includes(name));
  const missing = names.filter((name) => !(name in deployed));
  if (unknown.length > 0 || missing.length > 0) {
    throw new Error(
      `webApp.bicep writes ${names.join(', ')}; give a value (or null) for each, and only for those: ` +
        `missing ${missing.join(', ') || 'none'}, unknown ${unknown.join(', ') || 'none'}`,
    );
  }
  const given = Object.entries(deployed).filter((entry): entry is [string, string] => entry[1] !== null);
  return { ...fileSettings(), ...Object.fromEntries(given) };
}
