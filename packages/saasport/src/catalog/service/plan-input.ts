import type { PlanInput, PlanPatchInput } from "../input-schema.js";
import type { Plan } from "../model.js";
import { planView } from "../views.js";

/** A stored plan written as plan input, so a change can be validated as a whole plan. */
export function planInputOf(plan: Plan): PlanInput {
  const { seats, ...rest } = planView(plan);
  return seats === null ? rest : { ...rest, seats };
}

/**
 * A plan with a PATCH body laid over it, as in JSON Merge Patch: fields present replace the stored
 * ones (lists as a whole), `seats` merges into the stored limits and `seats: null` removes them, and
 * making a plan public without naming an audience drops the audience.
 */
export function patchedPlanInput(plan: Plan, patch: PlanPatchInput): PlanInput {
  const { seats, ...fields } = patch;
  const stored = planInputOf(plan);
  const merged: PlanInput = { ...stored, ...fields, id: plan.planId };
  if (seats === null) delete merged.seats;
  else if (seats !== undefined) merged.seats = { ...stored.seats, ...seats };
  if (patch.private === false && patch.audience === undefined) merged.audience = [];
  return merged;
}
