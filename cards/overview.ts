import type { Overview } from '../domain/migrationService';
import { CardTemplate, openUrlAction, submitAction, type ActionJson, type CardAttachment, type CardColor } from './cardTemplate';
import { roleLabel } from './labels';
import { LINKS } from './links';
import template from './overview.json';
import type { Viewer } from './viewer';

export interface PrerequisiteRow {
  readonly label: string;
  /** Met or missing, with its mark. */
  readonly state: string;
  /** Attention for a missing prerequisite: it stops the migration. */
  readonly color: CardColor;
  readonly advice?: string;
  readonly fix?: ActionJson;
}

export interface OverviewCardData {
  readonly title: string;
  readonly intro: string;
  readonly identity: string;
  readonly roleNote: string;
  /** For a role that cannot decide: how to get one that can. */
  readonly publisherSteps?: readonly { readonly number: string; readonly text: string }[];
  readonly prerequisitesTitle: string;
  readonly prerequisites: readonly PrerequisiteRow[];
  readonly summary: string;
  readonly actions: readonly ActionJson[];
}

const overviewCard = new CardTemplate<OverviewCardData>(template);

/** Before importing solutions, the source has members find who can publish and ask to be added. */
const PUBLISHER_STEPS = ['overview.publisherList.step.1', 'overview.publisherList.step.2'] as const;

/** What the bot is for, whether the partner meets the prerequisites, and what the viewer's role allows. */
export function overviewAttachment(overview: Overview, viewer: Viewer): CardAttachment {
  const { t } = viewer;
  const { member, account } = overview.actor;
  const role = roleLabel(member.role, t);
  const pending = overview.counts.pendingAction;
  const total = Object.values(overview.counts).reduce((sum, n) => sum + n, 0);
  const prerequisite = (kind: 'cloudPartnerProgram' | 'marketplace', met: boolean, fixUrl: string): PrerequisiteRow => {
    const label = t.t(`overview.prerequisites.${kind}`);
    if (met) return { label, state: `✓ ${t.t(`overview.prerequisites.${kind}.met`)}`, color: 'Default' };
    return {
      label,
      state: `✕ ${t.t(`overview.prerequisites.${kind}.missing`)}`,
      color: 'Attention',
      advice: t.t(`overview.prerequisites.${kind}.advice`),
      fix: openUrlAction(t.t(`overview.prerequisites.${kind}.fix`), fixUrl),
    };
  };
  return overviewCard.render({
    title: t.t('overview.title'),
    intro: t.t('overview.intro'),
    identity: t.t('overview.identity', { name: member.displayName, role, partner: account.name }),
    roleNote: overview.mayChange
      ? t.t('overview.role.mayChange', { role, partner: account.name })
      : t.t('overview.role.readOnly', { role }),
    ...(!overview.mayChange && {
      publisherSteps: PUBLISHER_STEPS.map((key, index) => ({ number: `${t.number(index + 1)}.`, text: t.t(key) })),
    }),
    prerequisitesTitle: t.t('overview.prerequisites.title'),
    prerequisites: [
      prerequisite('cloudPartnerProgram', account.cloudPartnerProgramActive, LINKS.joinCloudPartnerProgram),
      prerequisite('marketplace', account.marketplaceEnrolled, LINKS.enrollMarketplace),
    ],
    summary: pending > 0 ? t.plural('overview.summary', pending, { total }) : t.t('overview.summary.none', { total }),
    actions: [
      submitAction(t.t('button.solutions'), { verb: 'listSolutions' }, 'positive'),
      ...(overview.mayChange ? [] : [openUrlAction(t.t('help.link.publisherList'), LINKS.publisherList)]),
      submitAction(t.t('button.help'), { verb: 'help' }),
    ],
  });
}
