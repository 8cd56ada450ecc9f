// The page of a customer's product: @segment/analytics-next from npm, bundled (esbuild) by the
// compatibility suite and served from an origin of its own. window.cairnRun loads it pointed at
// Cairn with the library's documented options and sends one scenario.
import { AnalyticsBrowser } from '@segment/analytics-next';

window.cairnRun = async ({ writeKey, cdnURL, apiHost, batching, prefix, tracks, start }) => {
  const segment = {
    ...(apiHost ? { apiHost, protocol: 'http' } : {}),
    ...(batching ? { deliveryStrategy: { strategy: 'batching', config: { size: 50, timeout: 300 } } } : {}),
  };
  const [analytics] = await AnalyticsBrowser.load({ writeKey, cdnURL }, Object.keys(segment).length ? { integrations: { 'Segment.io': segment } } : {});
  const ids = [];
  const sent = (ctx) => { ids.push(ctx.event.messageId); return ctx; };
  // As Segment documents analytics.js: an anonymous visitor's traits, alias to the new user id
  // (previousId defaults to the anonymous id), then identify as that user.
  sent(await analytics.identify({ email: `${prefix}@browser.example`, name: 'Browser Person' }, { timestamp: new Date(start) }));
  const previousId = analytics.user().anonymousId();
  sent(await analytics.alias(`${prefix}-user`, undefined, { timestamp: new Date(start + 1000) }));
  sent(await analytics.identify(`${prefix}-user`, {}, { timestamp: new Date(start + 1500) }));
  sent(await analytics.group(`${prefix}-co`, { name: 'Browser Co', plan: 'team' }, { timestamp: new Date(start + 2000) }));
  for (let i = 0; i < tracks; i++) {
    sent(await analytics.track(i % 2 === 0 ? 'Report Exported' : 'Dashboard Viewed', { n: i }, { timestamp: new Date(start + 3000 + i * 1000) }));
  }
  sent(await analytics.page('Pricing', { path: '/pricing' }, { timestamp: new Date(start + 3000 + tracks * 1000) }));
  return { ids, previousId };
};
