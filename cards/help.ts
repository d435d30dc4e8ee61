import type { Translator } from '../locales/i18n';
import { CardTemplate, moreActions, openUrlAction, submitAction, type ActionJson, type CardAttachment } from './cardTemplate';
import template from './help.json';
import { LINKS } from './links';

export interface HelpCardData {
  readonly title: string;
  readonly paragraphs: readonly string[];
  readonly commandsTitle: string;
  readonly commands: readonly { readonly command: string; readonly description: string }[];
  /** Partner support first; the guides folded under one button. */
  readonly actions: readonly ActionJson[];
}

const helpCard = new CardTemplate<HelpCardData>(template);

const HELP_COMMANDS = ['solutions', 'help', 'cancel', 'subscribe', 'unsubscribe', 'status', 'language'] as const;

/** Get Help: partner support, the commands in the viewer's language, and the guides. */
export function helpAttachment({ t }: { readonly t: Translator }): CardAttachment {
  return helpCard.render({
    title: t.t('help.title'),
    paragraphs: [t.t('help.paragraph.support'), t.t('help.paragraph.roles')],
    commandsTitle: t.t('help.commands.title'),
    commands: HELP_COMMANDS.map((command) => ({
      command: t.t(`command.${command}`),
      description: t.t(`help.command.${command}`),
    })),
    actions: [
      openUrlAction(t.t('help.link.support'), LINKS.partnerSupport, 'positive'),
      openUrlAction(t.t('help.link.portal'), LINKS.migrationPortal),
      submitAction(t.t('button.solutions'), { verb: 'listSolutions' }),
      moreActions(t.t('help.links.docs'), [
        openUrlAction(t.t('help.link.publisherList'), LINKS.publisherList),
        openUrlAction(t.t('help.link.guide'), LINKS.migrationGuide),
        openUrlAction(t.t('help.link.coSell'), LINKS.coSellRequirements),
        openUrlAction(t.t('help.link.publishingGuide'), LINKS.publishingGuide),
        openUrlAction(t.t('help.link.faq'), LINKS.migrationFaq),
      ]),
    ],
  });
}
