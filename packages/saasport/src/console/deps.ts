import type { Clock } from "../clock/clock.js";
import type { Settings } from "../config/settings.js";
import type { ConsoleApi } from "./api-client.js";
import type { SessionStore } from "./sessions/session-store.js";
import type { CredentialChecks } from "./sign-in/credentials.js";

/** What the console's routes need. */
export interface ConsoleDeps {
  api: ConsoleApi;
  sessions: SessionStore;
  credentials: CredentialChecks;
  /** Real time: session expiry. */
  clock: Clock;
  settings: Pick<Settings, "host" | "publicUrl" | "tls" | "authFailures" | "trustProxy">;
  /** True when this server runs the shipped demo catalog (known once start-up loaded the catalog). */
  isDemo(): Promise<boolean>;
}
