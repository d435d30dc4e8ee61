import type { Activity, Attachment, Middleware, TurnContext } from 'botbuilder';
import { guardLinks, type RefusedLink } from '../cards/linkGuard';
import type { Logger } from './logger';

/**
 * Leaves links that break the link rule (cards/links.ts) off every card a turn sends, updates or
 * returns as an invoke response, and logs each: where, which host, and why. The rule is also applied
 * where URLs enter; this is the last guard, whatever stored data or a template holds.
 */
export function linkGuard(extraHosts: readonly string[], log: Logger): Middleware {
  const guard = (context: TurnContext, activity: Partial<Activity>): Partial<Activity> => {
    const attachments = activity.attachments && guardLinks(activity.attachments, extraHosts);
    const value = activity.type === 'invokeResponse' ? guardLinks(activity.value, extraHosts) : undefined;
    const refused = [...(attachments?.refused ?? []), ...(value?.refused ?? [])];
    if (refused.length === 0) return activity;
    logRefused(log, context.activity.conversation?.id, refused);
    return {
      ...activity,
      ...(attachments && isAttachmentList(attachments.value) && { attachments: attachments.value }),
      ...(value && { value: value.value }),
    };
  };
  return {
    onTurn: async (context, next) => {
      context.onSendActivities(async (ctx, activities, nextSend) => {
        activities.forEach((activity, index) => {
          activities[index] = guard(ctx, activity);
        });
        return nextSend();
      });
      context.onUpdateActivity(async (ctx, activity, nextUpdate) => {
        Object.assign(activity, guard(ctx, activity));
        return nextUpdate();
      });
      await next();
    },
  };
}

/** Which host and why, never the URL itself: it may carry a user name and password. */
export function logRefused(log: Logger, conversationId: string | undefined, refused: readonly RefusedLink[]): void {
  log.warn(
    { conversationId, refused: refused.map((link) => ({ host: hostOf(link.url), problem: link.problem })) },
    'links left off a card',
  );
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(not a URL)';
  }
}

function isAttachmentList(value: unknown): value is Attachment[] {
  return (
    Array.isArray(value) &&
    value.every((item) => typeof item === 'object' && item !== null && typeof Reflect.get(item, 'contentType') === 'string')
  );
}
