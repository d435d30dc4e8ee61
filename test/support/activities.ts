import type { Activity } from 'botbuilder';

/** A user's message in a personal chat in Teams, complete as the Activity type wants it. */
export function personalMessage(overrides: Partial<Activity> = {}): Activity {
  return {
    type: 'message',
    localTimezone: 'UTC',
    callerId: '',
    serviceUrl: 'https://smba.trafficmanager.net/amer/',
    channelId: 'msteams',
    from: { id: 'user', name: 'User' },
    conversation: { id: 'conversation', name: '', isGroup: false, conversationType: 'personal' },
    recipient: { id: 'bot', name: 'Bot' },
    text: 'solutions',
    label: '',
    valueType: '',
    listenFor: [],
    ...overrides,
  };
}
