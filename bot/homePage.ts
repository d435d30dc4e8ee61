import type { AppConfig } from './config';

export interface Page {
  readonly contentType: string;
  readonly body: string;
}

/**
 * What `GET /` answers, for someone who opened the bot's address in a browser: in development mode
 * where to point the Bot Framework Emulator and the Microsoft 365 Agents Playground; in production
 * one line, since the only client is Teams. Says nothing of tokens or settings beyond the demo's.
 * `origin` is the address the browser reached, as the server saw it (never a request header).
 */
export function homePage(config: Pick<AppConfig, 'mode' | 'demoData' | 'notifications'>, origin: string): Page {
  if (config.mode === 'production') {
    return {
      contentType: 'text/plain; charset=utf-8',
      body: 'OCP GTM migration bot: a Microsoft Teams bot. Talk to it in Teams.\n',
    };
  }
  const endpoint = escapeHtml(`${origin}/api/messages`);
  const simulator = config.notifications.simulator;
  const demo = config.demoData
    ? `<p>The store holds a demo partner, Contoso Cloud Solutions, with a member for each role: <code>demo-owner</code>,
<code>demo-manager</code> and <code>demo-developer</code> decide; <code>demo-marketer</code>, <code>demo-business</code>
and <code>demo-finance</code> only read. Give one of them as your user id (README, "Be each demo role"); a user the demo
does not know acts as its Manager.${
        simulator
          ? ` From your first message, a certification simulator moves one of its offers a step through certification every ${
              simulator.intervalMs / 1000
            } s (<code>CERTIFICATION_SIMULATOR=off</code> stops it).`
          : ''
      } To start the demo afresh, stop the bot, delete its <code>DATA_DIR</code> (<code>./data</code> by default) and start it again.</p>`
    : '<p>Demo data is off: the store holds imported partners only.</p>';
  const body = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>OCP GTM migration bot</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40em; margin: 2em auto; padding: 0 1em; line-height: 1.5">
<h1>OCP GTM migration bot</h1>
<p>A Microsoft Teams bot that takes partners through moving their co-sell solutions from OCP GTM to the Partner Center
commercial marketplace. It runs in development mode: no authentication, answering this machine only. A browser cannot
talk to it; a Bot Framework client can.</p>
<h2>Bot Framework Emulator</h2>
<p>Open a bot at <code>${endpoint}</code> and leave Microsoft App ID and Microsoft App password empty.</p>
<h2>Microsoft 365 Agents Playground</h2>
<p>In the project's folder run
<code>npx agentsplayground start --app-endpoint ${endpoint} --channel-id msteams --disable-telemetry</code>
and open the page it prints.</p>
<h2>Then</h2>
<p>Say <code>hi</code> for the overview, <code>solutions</code> for the list, a solution's name or ID for its card,
<code>help</code> for Get Help and <code>cancel</code> to leave a flow.</p>
${demo}
</body>
</html>
`;
  return { contentType: 'text/html; charset=utf-8', body };
}

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] ?? character);
}
