// The compose platform starts in minutes and the scale-and-kill run takes a few more.
jest.setTimeout(Number(process.env.CAIRN_TEST_TIMEOUT_MS ?? 600000));
