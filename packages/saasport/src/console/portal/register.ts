import type { FastifyInstance } from "fastify";
import type { ConsoleDeps } from "../deps.js";
import type { NavItem } from "../pages/layout.js";

/** The publisher portal's navigation entries (the layout shows them to a publisher persona). */
export const portalNav: NavItem[] = [{ key: "console", href: "/console/", label: "Portal" }];

/** The publisher portal under /console/portal (a publisher persona; every POST carries the CSRF token). */
export function registerPortalPages(_scope: FastifyInstance, _deps: ConsoleDeps): void {}
