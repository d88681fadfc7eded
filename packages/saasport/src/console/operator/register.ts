import type { FastifyInstance } from "fastify";
import type { ConsoleDeps } from "../deps.js";
import type { NavItem } from "../pages/layout.js";

/** The operator console's navigation entries (the layout shows them to the operator persona). */
export const operatorNav: NavItem[] = [{ key: "console", href: "/console/", label: "Console" }];

/** The operator console under /console/operator (the operator persona; every POST carries the CSRF token). */
export function registerOperatorPages(_scope: FastifyInstance, _deps: ConsoleDeps): void {}
