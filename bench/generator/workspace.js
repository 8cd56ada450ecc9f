'use strict';
// A seeded generator of one workspace's history: accounts, their people, a year of product
// usage as Segment calls with real timestamps, NPS answers, annual contracts, renewals and churn.
// See bench/generator/README.md for the model. Plain Node, no dependencies; the same seed and
// options give the same history, call for call.
//
// Churn is driven by a hidden state per account that the telemetry only shows partly and with
// noise: engagement (how many seats are used, how often), adoption (how many features), the
// champion (present, leaving, replaced), sentiment (NPS answers drawn around engagement). At each
// renewal the account churns with a probability that depends on that hidden state plus a random
// term; a few churn mid-contract. A churning account's use winds down before it goes and stops
// after it. Nothing here knows Cairn's scorecard.

const DAY = 86_400_000;
const FEATURES = ['Dashboard Viewed', 'Report Created', 'Report Shared', 'Export Run', 'Alert Configured', 'Integration Connected',
  'Workflow Built', 'Comment Added', 'Filter Saved', 'API Key Created', 'Template Used', 'Forecast Viewed'];
const PLANS = [['starter', 0.45], ['growth', 0.4], ['enterprise', 0.15]];

// The same seeded PRNG the backtest's bootstrap uses (health's domain, compiled by npm run build).
const { seededRandom: mulberry32 } = require('../../services/health/dist/domain/backtest-metrics');

function tools(random) {
  const normal = () => {
    let u = 0, v = 0;
    while (u === 0) u = random();
    while (v === 0) v = random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const pick = (weighted) => {
    let r = random();
    for (const [v, w] of weighted) { if ((r -= w) <= 0) return v; }
    return weighted[weighted.length - 1][0];
  };
  const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
  const binomial = (n, p) => { let k = 0; for (let i = 0; i < n; i++) if (random() < p) k++; return k; };
  return { normal, pick, int, binomial };
}

const clamp = (x, lo, hi) => Math.max(lo, Math.min(hi, x));
const sigmoid = (z) => 1 / (1 + Math.exp(-z));
const isoDay = (ms) => new Date(ms).toISOString().slice(0, 10);

/**
 * Generates the history. Returns { accounts, operations, stats }: operations sorted by event
 * time, each { at, kind: 'segment' | 'contract' | 'outcome' | 'nps', ... } (see README).
 * options: seed, accounts (2000), days (365: the observed year), warmupDays (45: usage before
 * it, so baselines exist), end (ms; default: the start of today, UTC).
 */
function generateWorkspace(options = {}) {
  const seed = options.seed ?? 14;
  const random = mulberry32(seed);
  const { normal, pick, int, binomial } = tools(random);
  const n = options.accounts ?? 2000;
  const days = options.days ?? 365;
  const warmup = options.warmupDays ?? 45;
  const end = options.end ?? Math.floor(Date.now() / DAY) * DAY;
  const start = end - days * DAY;
  const simStart = start - warmup * DAY;
  const ops = [];
  const stats = { accounts: n, calls: 0, churned: 0, renewed: 0, midContractChurn: 0, championDepartures: 0, npsAnswers: 0, contracts: 0 };
  const accounts = [];

  for (let i = 0; i < n; i++) {
    const id = `acct-${String(i).padStart(4, '0')}`;
    const plan = pick(PLANS);
    const seats = clamp(Math.round(Math.exp(1.6 + 0.6 * normal() + (plan === 'enterprise' ? 0.8 : plan === 'growth' ? 0.3 : 0))), 3, 80);
    // Hidden state.
    let engagement = clamp(0.65 + 0.18 * normal(), 0.1, 0.98);
    const utilisation = clamp(0.55 + 0.15 * normal(), 0.15, 0.95);
    let adoption = clamp(0.45 + 0.2 * normal(), 0.05, 1);
    let champion = random() < 0.85;
    // Contract: annual, started so that renewals fall across the observed year.
    let contractStart = start - int(0, 330) * DAY;
    let contractEnd = contractStart + 365 * DAY;
    let contractNo = 1;
    const arr = seats * pick([[600, 0.4], [900, 0.4], [1400, 0.2]]);
    const users = Array.from({ length: seats }, (_, u) => `${id}-u${u}`);
    const championId = `${id}-u0`;
    let championUser = championId;
    // Events of this account's life that the telemetry will show.
    const departureAt = random() < 0.22 ? start + int(0, days - 1) * DAY + int(9, 17) * 3600_000 : null;
    const declineAt = random() < 0.25 ? simStart + int(0, warmup + days) * DAY : null;
    const declineRate = 0.004 + 0.012 * random();
    const replacementAfter = random() < 0.45 ? int(20, 80) * DAY : null;
    const midContractChurnAt = random() < 0.03 ? start + int(30, days - 1) * DAY : null;
    accounts.push({ id, plan, seats });

    const onboardAt = Math.max(simStart, contractStart) + 9 * 3600_000;
    ops.push({ at: onboardAt, kind: 'segment', call: { type: 'group', userId: championId, groupId: id, timestamp: new Date(onboardAt).toISOString(),
      messageId: `${id}-group`, traits: { name: `Account ${i}`, plan, seats, csmOwner: `csm-${i % 40}@vendor.example` } } });
    ops.push({ at: onboardAt + 1000, kind: 'segment', call: { type: 'identify', userId: championId, timestamp: new Date(onboardAt + 1000).toISOString(),
      messageId: `${id}-identify-champion`, context: { groupId: id }, traits: { name: `Champion ${i}`, email: `${championId}@acct${i}.example`, role: 'champion' } } });
    ops.push({ at: contractStart, kind: 'contract', contract: { id: `${id}-c1`, accountId: id, arr, seats, plan, startDate: isoDay(contractStart), endDate: isoDay(contractEnd - DAY), autoRenew: random() < 0.3 } });
    stats.contracts++;

    let gone = false;
    let windDown = null; // day the account decided to leave: usage fades from there
    let lastNpsDay = -1e9;
    let decidedFor = 0; // the contract whose renewal was decided
    for (let t = Math.max(simStart, contractStart); t < end && !gone; t += DAY) {
      const dayNo = Math.round((t - simStart) / DAY);
      // Drift and shocks of the hidden state.
      engagement = clamp(engagement + 0.01 * normal(), 0.02, 0.99);
      adoption = clamp(adoption + 0.004 * normal() + (engagement > 0.6 ? 0.0008 : -0.0008), 0.02, 1);
      if (declineAt !== null && t >= declineAt) engagement = clamp(engagement - declineRate, 0.02, 0.99);
      if (departureAt !== null && champion && t <= departureAt && departureAt < t + DAY) {
        champion = false;
        stats.championDepartures++;
        if (random() < 0.6) engagement = clamp(engagement - 0.1 - 0.1 * random(), 0.02, 0.99);
        ops.push({ at: departureAt, kind: 'segment', call: { type: 'identify', userId: championUser, timestamp: new Date(departureAt).toISOString(),
          messageId: `${id}-champion-left`, context: { groupId: id }, traits: { status: 'left' } } });
      }
      if (!champion && departureAt !== null && replacementAfter !== null && t >= departureAt + replacementAfter && championUser === championId) {
        champion = true;
        championUser = `${id}-u1`;
        ops.push({ at: t + 10 * 3600_000, kind: 'segment', call: { type: 'identify', userId: championUser, timestamp: new Date(t + 10 * 3600_000).toISOString(),
          messageId: `${id}-new-champion`, context: { groupId: id }, traits: { name: `New champion ${i}`, role: 'champion' } } });
      }
      // Deciding to leave: at renewal (the main case) or, rarely, mid-contract.
      if (windDown === null) {
        const renewalDue = t + 45 * DAY >= contractEnd && decidedFor !== contractNo;
        if (renewalDue) {
          decidedFor = contractNo;
          const risk = sigmoid(-2.3 + 4.2 * (0.55 - engagement) + 1.1 * (champion ? 0 : 1) + 1.6 * (0.35 - adoption) + 0.9 * normal());
          const decided = random() < risk;
          if (decided) windDown = { from: t, at: contractEnd };
          else {
            // Renews: outcome at the end date, and a new annual contract.
            const closeAt = contractEnd;
            if (closeAt < end) {
              const expanded = engagement > 0.75 && random() < 0.3;
              ops.push({ at: closeAt, kind: 'outcome', contractId: `${id}-c${contractNo}`, outcome: { outcome: expanded ? 'expanded' : 'renewed', arrAfter: expanded ? Math.round(arr * 1.2) : arr, closedAt: new Date(closeAt).toISOString() } });
              stats.renewed++;
              contractNo++;
              contractStart = contractEnd;
              contractEnd = contractStart + 365 * DAY;
              ops.push({ at: contractStart + 1, kind: 'contract', contract: { id: `${id}-c${contractNo}`, accountId: id, arr, seats, plan, startDate: isoDay(contractStart), endDate: isoDay(contractEnd - DAY), autoRenew: random() < 0.3 } });
              stats.contracts++;
            }
          }
        } else if (midContractChurnAt !== null && t >= midContractChurnAt - 30 * DAY) {
          windDown = { from: t, at: midContractChurnAt, mid: true };
        }
      }
      if (windDown !== null && t >= windDown.at) {
        if (windDown.at < end) {
          ops.push({ at: windDown.at, kind: 'outcome', contractId: `${id}-c${contractNo}`, outcome: { outcome: 'churned', arrAfter: 0, reason: windDown.mid ? 'cancelled mid-contract' : 'did not renew', closedAt: new Date(windDown.at).toISOString() } });
          stats.churned++;
          if (windDown.mid) stats.midContractChurn++;
        }
        gone = true; // churned accounts stop using the product
        break;
      }
      // Usage of the day: active users from seats × utilisation × engagement (weekends quiet), one call each.
      const weekday = new Date(t).getUTCDay() % 6 !== 0;
      const fading = windDown ? clamp(1 - (t - windDown.from) / Math.max(DAY, windDown.at - windDown.from), 0.05, 1) : 1;
      const p = utilisation * engagement * fading * (weekday ? 1 : 0.15);
      const active = binomial(seats, clamp(p, 0, 1));
      const features = Math.max(1, Math.round(adoption * FEATURES.length));
      for (let k = 0; k < active; k++) {
        const u = users[int(0, seats - 1)];
        if (u === championId && !champion && championUser !== championId) continue; // the champion who left is gone
        const ts = t + int(7, 19) * 3600_000 + int(0, 3599) * 1000;
        const event = FEATURES[int(0, features - 1)];
        ops.push({ at: ts, kind: 'segment', call: { type: 'track', userId: u, event, timestamp: new Date(ts).toISOString(),
          messageId: `${id}-${dayNo}-${k}`, context: { groupId: id } } });
        stats.calls++;
      }
      // NPS: a survey each quarter reaches a few people; the answer is drawn around engagement and the champion.
      if (t >= start && dayNo - lastNpsDay >= 90 && random() < 0.02) {
        lastNpsDay = dayNo;
        const respondents = int(1, 2);
        for (let r = 0; r < respondents; r++) {
          const score = clamp(Math.round(2 + 8.5 * engagement + (champion ? 0.5 : -1) + 2 * normal()), 0, 10);
          const at = t + int(9, 17) * 3600_000;
          ops.push({ at, kind: 'nps', answer: { accountId: id, contactId: users[int(0, seats - 1)], score, respondedAt: new Date(at).toISOString() } });
          stats.npsAnswers++;
        }
      }
    }
  }
  // Event-time order; a stable tie-break keeps the order reproducible.
  ops.sort((a, b) => a.at - b.at);
  return { accounts, operations: ops, stats, start, end, seed };
}

module.exports = { generateWorkspace, FEATURES };
