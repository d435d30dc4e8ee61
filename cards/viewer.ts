import type { Actor } from '../domain/model';
import { mayChange } from '../domain/roles';
import type { Translator } from '../locales/i18n';

/** Who a card is drawn for: their language and what their role lets them do. */
export interface Viewer {
  readonly t: Translator;
  readonly actor: Actor;
}

export function viewerMayChange(viewer: Viewer): boolean {
  return mayChange(viewer.actor.member.role);
}
