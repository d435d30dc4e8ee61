import { CardTemplate, type ActionJson } from './cardTemplate';
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
  /** Links first, then buttons. */
  readonly actions: readonly ActionJson[];
}

export const noticeCard = new CardTemplate<NoticeCardData>(template);
