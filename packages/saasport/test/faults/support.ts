import { expect } from "vitest";
import type { TestServer } from "../support/server.js";

export interface FaultView {
  id: string;
  target: string;
  publisherId: string | null;
  subscriptionId: string | null;
  kind: string;
  status?: number;
  delayMs?: number;
  holdMs?: number;
  probability: number;
  count: number | null;
  remaining: number | null;
  seed: number;
  hits: number;
  consults: number;
  active: boolean;
  label: string;
  createdAt: string;
  clearedAt: string | null;
}

/** Calls /operator/v1/faults with the operator key; returns status and parsed body. */
export async function faultsCall(server: TestServer, method: string, path = "", body?: unknown) {
  const response = await server.fetch(`/operator/v1/faults${path}`, {
    method,
    headers: {
      authorization: `Bearer ${server.operatorKey}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

export async function addFault(server: TestServer, request: Record<string, unknown>): Promise<FaultView> {
  const created = await faultsCall(server, "POST", "", request);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body as FaultView;
}

export async function listFaults(server: TestServer, query = ""): Promise<FaultView[]> {
  const listed = await faultsCall(server, "GET", query);
  expect(listed.status).toBe(200);
  return (listed.body as { faults: FaultView[] }).faults;
}
