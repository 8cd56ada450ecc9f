import { parsePortfolioQuery, portfolioCountSql, portfolioCsv, portfolioPageSql, PortfolioQueryError } from './portfolio-query';

describe('portfolio query', () => {
  it('defaults to the first 50 accounts, worst score first', () => {
    const q = parsePortfolioQuery({}, 'me@x');
    expect(q).toMatchObject({ page: 0, pageSize: 50, sort: 'score', dir: 'asc' });
    const { sql, params } = portfolioPageSql('ws', q);
    expect(sql).toMatch(/ORDER BY score ASC NULLS LAST, account_id ASC LIMIT \$2 OFFSET \$3/);
    expect(params).toEqual(['ws', 50, 0]);
  });

  it('turns filters into parameters, never into SQL text', () => {
    const q = parsePortfolioQuery({ band: 'red,unscored', arrMin: '10000', owner: 'me', plan: "x' OR 1=1 --", openAlerts: 'true', sort: 'arr', dir: 'desc', page: '2', pageSize: '25' }, 'li@x');
    const { sql, params } = portfolioPageSql('ws', q);
    expect(sql).toContain('(band = ANY($2::text[]) OR band IS NULL)');
    expect(sql).toContain('open_alerts > 0');
    expect(sql).not.toContain('OR 1=1');
    expect(params).toEqual(['ws', ['red'], 10000, 'li@x', "x' OR 1=1 --", 25, 50]);
  });

  it('stops counting at the cap', () => {
    const { sql, params } = portfolioCountSql('ws', parsePortfolioQuery({ band: 'red' }, 'me'));
    expect(sql).toMatch(/SELECT count\(\*\)::int AS total FROM \(SELECT 1 FROM portfolio_account WHERE .* LIMIT \$3\) capped/);
    expect(params).toEqual(['ws', ['red'], 10_001]);
  });

  it('names every bad parameter', () => {
    let problems: string[] = [];
    try { parsePortfolioQuery({ sort: 'password', band: 'purple', scoreMin: '-3', colour: 'x' }, 'me'); } catch (e) { problems = (e as PortfolioQueryError).problems; }
    expect(problems).toEqual(expect.arrayContaining([
      'colour: unknown parameter', expect.stringMatching(/^sort: must be one of/), expect.stringMatching(/^band: must be among/), expect.stringMatching(/^scoreMin: must be a number from 0 to 100/),
    ]));
  });

  it('writes CSV that a spreadsheet will not run as a formula', () => {
    const csv = portfolioCsv([{ account_id: 'a', name: '=HYPERLINK("x")', arr: 1200, score: 41.5, band: 'red', score_change: -5, renewal_date: new Date('2026-03-01T00:00:00Z') }]);
    expect(csv.split('\r\n')[1]).toBe(`a,"'=HYPERLINK(""x"")",,1200,,41.5,red,-5,2026-03-01,,,`);
  });
});
