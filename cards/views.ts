import type { Overview, SolutionDetail, SolutionListPage } from '../domain/migrationService';
import { LISTING_URL_PROBLEMS } from '../domain/listingUrl';
import type { MergeField } from '../domain/mergeDetails';
import type { Actor, MigrationStatus, OfferType, PartnerRole, Solution, SolutionSummary, Storefront } from '../domain/model';
import { mayChange } from '../domain/roles';
import { isOverdue } from '../domain/supportRequests';
import type { Translator } from '../locales/i18n';
import type { CardAction } from './actions';
import {
  executeAction,
  openUrlAction,
  submitAction,
  type ActionJson,
  type ButtonStyle,
  type CardAttachment,
} from './cardTemplate';
import { confirmDiscardCard } from './confirmDiscard';
import { helpCard } from './help';
import { LINKS } from './links';
import { migrationOptionsCard } from './migrationOptions';
import { overviewCard, type PrerequisiteRow } from './overview';
import { solutionCard, type Fact } from './solution';
import { solutionListCard, type SolutionListItem, type StatusColor } from './solutionList';
import type { RowInput, SolutionRows } from './solutionRows';

/** Who a card is drawn for: their language and what their role lets them do. */
export interface Viewer {
  readonly t: Translator;
  readonly actor: Actor;
}

const STATUS_COLORS: Readonly<Record<MigrationStatus, StatusColor>> = {
  pendingAction: 'Warning',
  migratedAsDraft: 'Warning',
  awaitingNewOffer: 'Accent',
  mergeRequested: 'Accent',
  merged: 'Good',
  discarded: 'Default',
};

export function statusLabel(status: MigrationStatus, t: Translator): string {
  return t.t(`status.${status}.label`);
}

export function roleLabel(role: PartnerRole, t: Translator): string {
  return t.t(`role.${role}`);
}

/** A button on a card that a dialog waits on. */
export function button(title: string, data: CardAction, style: ButtonStyle = 'default'): ActionJson {
  return submitAction(title, data, style);
}

const submitButton = button;

/** A button on a card that lives on its own in the chat, answered with the card drawn again. */
export function executeButton(title: string, data: CardAction, style: ButtonStyle = 'default'): ActionJson {
  return executeAction(title, data, style);
}

export function idLabel(solution: SolutionSummary, t: Translator): string {
  return t.t('solution.idLabel', { id: solution.id, partnerId: solution.partnerId });
}

/** Its merge request is past the date support answers by, as of `asOf`. */
function overdueAt(solution: SolutionSummary, asOf: Date | undefined): boolean {
  const request = solution.mergeRequest;
  return solution.status === 'mergeRequested' && request !== undefined && asOf !== undefined && isOverdue(request, asOf);
}

/** What can be done to a solution from a card, given its status and whether the viewer may change it. */
function solutionButtons(
  solution: SolutionSummary,
  t: Translator,
  mayAct: boolean,
  origin: { origin: 'list' | 'solution'; page?: number },
  overdue: boolean,
): ActionJson[] {
  const on = { solutionId: solution.id, ...origin };
  // A solution's own card stands alone in the chat; the list's buttons lead into dialogs.
  const button = origin.origin === 'solution' ? executeButton : submitButton;
  if (overdue) return [button(t.t('button.help'), { verb: 'help' })];
  if (!mayAct) return [];
  switch (solution.status) {
    case 'pendingAction':
      return [button(t.t('button.beginMigration'), { verb: 'beginMigration', ...on }, 'positive')];
    case 'discarded':
      return [button(t.t('button.undoDiscard'), { verb: 'undoDiscard', ...on })];
    case 'awaitingNewOffer':
      return [
        button(t.t('button.merge'), { verb: 'chooseMerge', ...on }, 'positive'),
        button(t.t('button.publishingSteps'), { verb: 'publishingSteps', ...on }),
      ];
    case 'migratedAsDraft':
      return [button(t.t('button.publishingSteps'), { verb: 'publishingSteps', ...on }, 'positive')];
    default:
      return [];
  }
}

/** The status as a card shows it: label, colour and the line explaining it. */
function statusView(
  solution: SolutionSummary,
  t: Translator,
  overdue: boolean,
): { label: string; color: StatusColor; explanation: string } {
  const request = solution.mergeRequest;
  const base = { label: statusLabel(solution.status, t), color: STATUS_COLORS[solution.status] };
  if (solution.status !== 'mergeRequested' || !request)
    return { ...base, explanation: t.t(`status.${solution.status}.explanation`) };
  const params = { requestId: request.id, date: t.date(request.dueAt) };
  if (overdue) {
    return {
      label: `${base.label} · ${t.t('status.mergeRequested.overdue')}`,
      color: 'Attention',
      explanation: t.t('status.mergeRequested.overdueExplanation', params),
    };
  }
  if (request.state === 'infoRequested') return { ...base, explanation: t.t('status.mergeRequested.infoRequested', params) };
  return { ...base, explanation: t.t('status.mergeRequested.due', params) };
}

/** A list row, from exactly what its cache key is made of. */
function listRow({ solution, t, mayAct, page, overdue }: RowInput): SolutionListItem {
  const status = statusView(solution, t, overdue);
  return {
    name: solution.name,
    idLabel: idLabel(solution, t),
    statusLabel: status.label,
    statusColor: status.color,
    explanation: status.explanation,
    actions: solutionButtons(solution, t, mayAct, { origin: 'list', page }, overdue),
  };
}

export function offerTypeLabel(type: OfferType, t: Translator): string {
  return t.t(`offerType.${type}`);
}

export function storefrontLabel(storefront: Storefront, t: Translator): string {
  return t.t(`storefront.${storefront}`);
}

/** Why one merge detail is not valid, in words. */
export function fieldProblemText(field: MergeField, reason: string, t: Translator, solutionId = ''): string {
  if (field === 'listingUrl') {
    const problem = LISTING_URL_PROBLEMS.find((known) => known === reason);
    return t.t(problem ? `listingUrl.problem.${problem}` : 'listingUrl.problem.missing');
  }
  switch (`${field}.${reason}`) {
    case 'offerType.unknown':
      return t.t('merge.problem.offerType.unknown');
    case 'offerName.tooLong':
      return t.t('merge.problem.offerName.tooLong');
    case 'ocpSolutionId.notThisSolution':
      return t.t('merge.problem.ocpSolutionId.notThisSolution', { solutionId });
    default:
      return t.t(`merge.problem.${field}.missing`);
  }
}

export function overviewAttachment(overview: Overview, viewer: Viewer): CardAttachment {
  const { t } = viewer;
  const { member, account } = overview.actor;
  const role = roleLabel(member.role, t);
  const pending = overview.counts.pendingAction;
  const total = Object.values(overview.counts).reduce((sum, n) => sum + n, 0);
  const prerequisites: PrerequisiteRow[] = [
    account.cloudPartnerProgramActive
      ? {
          label: t.t('overview.prerequisites.cloudPartnerProgram'),
          state: t.t('overview.prerequisites.cloudPartnerProgram.met'),
          color: 'Good',
        }
      : {
          label: t.t('overview.prerequisites.cloudPartnerProgram'),
          state: t.t('overview.prerequisites.cloudPartnerProgram.missing'),
          color: 'Attention',
          advice: t.t('overview.prerequisites.cloudPartnerProgram.advice'),
          fix: openUrlAction(t.t('overview.prerequisites.cloudPartnerProgram.fix'), LINKS.joinCloudPartnerProgram),
        },
    account.marketplaceEnrolled
      ? { label: t.t('overview.prerequisites.marketplace'), state: t.t('overview.prerequisites.marketplace.met'), color: 'Good' }
      : {
          label: t.t('overview.prerequisites.marketplace'),
          state: t.t('overview.prerequisites.marketplace.missing'),
          color: 'Attention',
          advice: t.t('overview.prerequisites.marketplace.advice'),
          fix: openUrlAction(t.t('overview.prerequisites.marketplace.fix'), LINKS.enrollMarketplace),
        },
  ];
  return overviewCard.render({
    title: t.t('overview.title'),
    intro: t.t('overview.intro'),
    identity: t.t('overview.identity', { name: member.displayName, role, partner: account.name }),
    roleNote: overview.mayChange
      ? t.t('overview.role.mayChange', { role, partner: account.name })
      : t.t('overview.role.readOnly', { role }),
    prerequisitesTitle: t.t('overview.prerequisites.title'),
    prerequisites,
    summary: pending > 0 ? t.plural('overview.summary', pending, { total }) : t.t('overview.summary.none', { total }),
    actions: [
      button(t.t('button.solutions'), { verb: 'listSolutions' }, 'positive'),
      button(t.t('button.help'), { verb: 'help' }),
    ],
  });
}

export function solutionListAttachment(list: SolutionListPage, viewer: Viewer, rows: SolutionRows): CardAttachment {
  const { t } = viewer;
  const account = viewer.actor.account;
  const mayAct = mayChange(viewer.actor.member.role);
  const navigation: ActionJson[] = [];
  if (list.page > 1)
    navigation.push(button(t.t('button.previous'), { verb: 'listSolutions', origin: 'list', page: list.page - 1 }));
  if (list.page < list.pageCount)
    navigation.push(button(t.t('button.next'), { verb: 'listSolutions', origin: 'list', page: list.page + 1 }));
  navigation.push(button(t.t('button.help'), { verb: 'help' }));
  const note =
    list.total === 0
      ? t.t('list.empty', { partner: account.name })
      : list.counts.pendingAction === 0
        ? t.t('list.nothingPending')
        : undefined;
  return solutionListCard.render({
    title: t.t('list.title', { partner: account.name }),
    summary: t.t('list.summary', { pending: list.counts.pendingAction, total: list.total }),
    ...(note && { note }),
    rows: list.items.map((solution) =>
      rows.row({ solution, t, mayAct, page: list.page, overdue: overdueAt(solution, list.asOf) }, listRow),
    ),
    pageLabel: t.t('list.page', { page: list.page, pageCount: list.pageCount }),
    navigation,
  });
}

export function solutionAttachment(detail: SolutionDetail, viewer: Viewer, heading?: string): CardAttachment {
  const { t } = viewer;
  const { solution, lastChange } = detail;
  const facts: Fact[] = [
    { title: t.t('coSell.title'), value: t.t(`coSell.${solution.coSellStatus}`) },
    { title: t.t('solution.referrals.title'), value: t.plural('solution.referrals', solution.carriedOver.openReferrals) },
    { title: t.t('solution.collateral.title'), value: t.plural('solution.collateral', solution.carriedOver.collateralDocuments) },
  ];
  if (lastChange && lastChange.to === solution.status) {
    facts.push({
      title: t.t('solution.lastChange.title'),
      value: t.t('solution.lastChange.value', {
        status: statusLabel(lastChange.to, t),
        name: lastChange.actorName,
        date: t.date(lastChange.at),
      }),
    });
  }
  const role = viewer.actor.member.role;
  const overdue = overdueAt(solution, detail.asOf);
  const status = statusView(solution, t, overdue);
  return solutionCard.render({
    ...(heading && { heading }),
    name: solution.name,
    idLabel: idLabel(solution, t),
    statusTitle: t.t('status.title'),
    statusLabel: status.label,
    statusColor: status.color,
    explanation: status.explanation,
    facts,
    ...(!mayChange(role) && { note: t.t('solution.readOnlyNote', { role: roleLabel(role, t) }) }),
    actions: [
      ...solutionButtons(solution, t, mayChange(role), { origin: 'solution' }, overdue),
      executeButton(t.t('button.solutions'), { verb: 'listSolutions' }),
    ],
  });
}

export function migrationOptionsAttachment(solution: Solution, viewer: Viewer): CardAttachment {
  const { t } = viewer;
  const on = { solutionId: solution.id, origin: 'solution' as const };
  return migrationOptionsCard.render({
    title: t.t('options.title'),
    name: solution.name,
    idLabel: idLabel(solution, t),
    prompt: t.t('options.prompt'),
    options: [
      {
        title: t.t('options.merge.title'),
        description: t.t('options.merge.description'),
        button: button(t.t('button.merge'), { verb: 'chooseMerge', ...on }, 'positive'),
      },
      {
        title: t.t('options.noSimilarOffer.title'),
        description: t.t('options.noSimilarOffer.description'),
        button: button(t.t('button.noSimilarOffer'), { verb: 'chooseNoSimilarOffer', ...on }),
      },
      {
        title: t.t('options.discard.title'),
        description: t.t('options.discard.description'),
        button: button(t.t('button.chooseDiscard'), { verb: 'chooseDiscard', ...on }, 'destructive'),
      },
    ],
    hint: t.t('options.hint'),
    actions: [button(t.t('button.notNow'), { verb: 'cancel', ...on })],
  });
}

export function confirmDiscardAttachment(solution: Solution, viewer: Viewer): CardAttachment {
  const { t } = viewer;
  const on = { solutionId: solution.id, origin: 'solution' as const };
  return confirmDiscardCard.render({
    title: t.t('discard.confirm.title'),
    name: solution.name,
    idLabel: idLabel(solution, t),
    body: t.t('discard.confirm.body'),
    hint: t.t('discard.confirm.hint'),
    actions: [
      button(t.t('button.discard'), { verb: 'confirmDiscard', ...on }, 'destructive'),
      button(t.t('button.keep'), { verb: 'cancel', ...on }),
    ],
  });
}

export function helpAttachment(viewer: Viewer): CardAttachment {
  const { t } = viewer;
  return helpCard.render({
    title: t.t('help.title'),
    paragraphs: [t.t('help.paragraph.support'), t.t('help.paragraph.roles')],
    commandsTitle: t.t('help.commands.title'),
    commands: [
      { command: t.t('command.solutions'), description: t.t('help.command.solutions') },
      { command: t.t('command.help'), description: t.t('help.command.help') },
      { command: t.t('command.cancel'), description: t.t('help.command.cancel') },
      { command: t.t('command.subscribe'), description: t.t('help.command.subscribe') },
      { command: t.t('command.unsubscribe'), description: t.t('help.command.unsubscribe') },
      { command: t.t('command.status'), description: t.t('help.command.status') },
      { command: t.t('command.language'), description: t.t('help.command.language') },
    ],
    linkGroups: [
      {
        title: t.t('help.links.support'),
        links: [
          openUrlAction(t.t('help.link.support'), LINKS.partnerSupport),
          openUrlAction(t.t('help.link.portal'), LINKS.migrationPortal),
          openUrlAction(t.t('help.link.publisherList'), LINKS.publisherList),
        ],
      },
      {
        title: t.t('help.links.docs'),
        links: [
          openUrlAction(t.t('help.link.guide'), LINKS.migrationGuide),
          openUrlAction(t.t('help.link.coSell'), LINKS.coSellRequirements),
          openUrlAction(t.t('help.link.publishingGuide'), LINKS.publishingGuide),
          openUrlAction(t.t('help.link.faq'), LINKS.migrationFaq),
        ],
      },
    ],
    actions: [button(t.t('button.solutions'), { verb: 'listSolutions' }, 'positive')],
  });
}
