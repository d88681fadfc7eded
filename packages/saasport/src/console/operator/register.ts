import type { FastifyInstance } from "fastify";
import type { ConsoleDeps } from "../deps.js";
import type { NavItem } from "../pages/layout.js";
import { registerClockRoutes } from "./clock-routes.js";
import { registerCsvRoutes } from "./csv-routes.js";
import { registerEventRoutes } from "./event-routes.js";
import { registerFaultRoutes } from "./fault-routes.js";
import { operatorGuard } from "./guard.js";
import { registerInvoiceRoutes } from "./invoice-routes.js";
import { registerPublisherRoutes } from "./publisher-routes.js";
import { registerSubscriptionRoutes } from "./subscription-routes.js";
import { testClocksPath } from "./test-clock-page.js";
import { registerTestClockRoutes } from "./test-clock-routes.js";
import { operatorPaths } from "./ui.js";

/** The operator console's navigation entries (the layout shows them to the operator persona). */
export const operatorNav: NavItem[] = [
  { key: "operator-home", href: operatorPaths.home, label: "Clock" },
  { key: "operator-clocks", href: testClocksPath, label: "Test clocks" },
  { key: "operator-subscriptions", href: operatorPaths.subscriptions, label: "Subscriptions" },
  { key: "operator-invoices", href: operatorPaths.invoices, label: "Invoices" },
  { key: "operator-payouts", href: operatorPaths.payouts, label: "Payouts" },
  { key: "operator-events", href: operatorPaths.events, label: "Events" },
  { key: "operator-publishers", href: operatorPaths.publishers, label: "Publishers" },
  { key: "operator-faults", href: operatorPaths.faults, label: "Faults" },
];

/** The operator console under /console/operator (the operator persona; every POST carries the CSRF token). */
export function registerOperatorPages(scope: FastifyInstance, deps: ConsoleDeps): void {
  scope.addHook("preHandler", operatorGuard());
  registerClockRoutes(scope, deps);
  registerTestClockRoutes(scope, deps);
  registerSubscriptionRoutes(scope, deps);
  registerInvoiceRoutes(scope, deps);
  registerCsvRoutes(scope, deps);
  registerEventRoutes(scope, deps);
  registerPublisherRoutes(scope, deps);
  registerFaultRoutes(scope, deps);
}
