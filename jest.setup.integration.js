// Suites against a real broker and database: joining a consumer group alone takes seconds.
jest.setTimeout(Number(process.env.CAIRN_TEST_TIMEOUT_MS ?? 120000));
