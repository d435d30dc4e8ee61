import { CardTemplate, type Button, type LinkButton } from './cardTemplate';
import template from './notice.json';
import type { LabelledValue } from './rows';

/** Something that happened, told to the people it concerns, with what to do next. */
export interface NoticeCardData {
  readonly heading: string;
  readonly color: 'Default' | 'Accent' | 'Good' | 'Warning' | 'Attention';
  readonly body: string;
  /** Text someone else wrote, shown exactly as written. */
  readonly quote?: string;
  readonly facts: readonly LabelledValue[];
  readonly next?: string;
  readonly links: readonly LinkButton[];
  readonly actions: readonly Button[];
}

export const noticeCard = new CardTemplate<NoticeCardData>(template);
