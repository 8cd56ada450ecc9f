import { defineService } from '@cairn/runtime';
import { AppModule } from './app.module';
import { ConsoleConfig } from './config';
import { serveWebApp } from './web/static';

export const consoleService = defineService({
  name: 'console',
  config: ConsoleConfig,
  module: () => AppModule,
  title: 'Cairn console',
  description: 'The CSM console: sign-in, roles, the portfolio read model, live updates, and the gateway through which the browser reaches every service.',
  // The console serves pages: a strict CSP (scripts and styles of its own origin; uPlot and React set inline styles).
  helmet: {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"], imgSrc: ["'self'", 'data:'], styleSrc: ["'self'", "'unsafe-inline'"], scriptSrc: ["'self'"],
        connectSrc: ["'self'"], frameAncestors: ["'none'"], formAction: ["'self'"], baseUri: ["'none'"], objectSrc: ["'none'"],
      },
    },
  },
  configure: (app, config) => serveWebApp(app, config.webDir),
});
