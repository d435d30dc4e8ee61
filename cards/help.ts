import { CardTemplate, type ActionJson } from './cardTemplate';
import template from './help.json';

export interface HelpCardData {
  readonly title: string;
  readonly paragraphs: readonly string[];
  readonly commandsTitle: string;
  readonly commands: readonly { readonly command: string; readonly description: string }[];
  /** At most five links a group: hosts draw no more buttons in one set. */
  readonly linkGroups: readonly { readonly title: string; readonly links: readonly ActionJson[] }[];
  readonly actions: readonly ActionJson[];
}

export const helpCard = new CardTemplate<HelpCardData>(template);
