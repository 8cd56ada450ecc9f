import { NotificationWakeup, WakeableLoop } from './notification-wakeup';

const until = async (what: string, check: () => boolean) => {
  for (let i = 0; i < 500; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error(`never: ${what}`);
};

describe('WakeableLoop', () => {
  const HOUR = 3_600_000;

  it('passes again at once while a pass asks for 0, and waits for a wake-up when it asks for more', async () => {
    const wakeup = new NotificationWakeup({ channel: 'test_loop' });
    const waits = [0, 0, HOUR, 0, HOUR];
    let passes = 0;
    const loop = new WakeableLoop({ wakeup, pass: async () => waits[Math.min(passes++, waits.length - 1)], onError: () => undefined });
    loop.start();
    await until('three passes', () => passes === 3);
    await new Promise((r) => setTimeout(r, 30));
    expect(passes).toBe(3); // waiting the hour
    wakeup.wake();
    await until('two more passes', () => passes === 5);
    await loop.stop();
    expect(passes).toBe(5);
    expect(loop.isRunning).toBe(false);
  });

  it('keeps a wake-up that comes during a pass: the next wait ends at once, the one after lasts', async () => {
    const wakeup = new NotificationWakeup({ channel: 'test_loop' });
    let passes = 0;
    // The first pass is woken while it runs, as by a NOTIFY for a row committed after it read the table.
    const loop = new WakeableLoop({ wakeup, onError: () => undefined, pass: async () => { if (++passes === 1) wakeup.wake(); return HOUR; } });
    loop.start();
    await until('a second pass', () => passes === 2);
    await new Promise((r) => setTimeout(r, 30));
    expect(passes).toBe(2); // the second pass read that row; nothing more came, so it waits its hour
    await loop.stop();
  });

  it('reports a failing pass and retries it after retryMs', async () => {
    const wakeup = new NotificationWakeup({ channel: 'test_loop' });
    const errors: string[] = [];
    let passes = 0;
    const loop = new WakeableLoop({
      wakeup, retryMs: 5, onError: (e) => { errors.push((e as Error).message); },
      pass: async () => { passes++; if (passes <= 2) throw new Error(`down ${passes}`); return HOUR; },
    });
    loop.start();
    await until('the third pass', () => passes === 3);
    await loop.stop();
    expect(errors).toEqual(['down 1', 'down 2']);
  });

  it('stops after the pass in progress, without waiting out its interval', async () => {
    const wakeup = new NotificationWakeup({ channel: 'test_loop' });
    let release!: () => void;
    let finished = false;
    const loop = new WakeableLoop({
      wakeup, onError: () => undefined,
      pass: () => new Promise<number>((r) => { release = () => { finished = true; r(HOUR); }; }),
    });
    loop.start();
    await until('the pass to start', () => release !== undefined);
    const stopped = loop.stop();
    release();
    await stopped;
    expect(finished).toBe(true);
  });
});
