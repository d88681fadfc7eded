import { Value } from "@sinclair/typebox/value";
import {
  CatalogInput,
  type CatalogInput as CatalogInputType,
  type OfferFieldsInput as OfferFields,
  OfferFieldsInput,
  PlanInput,
  type PlanInput as PlanInputType,
  type PublisherFieldsInput as PublisherFields,
  PublisherFieldsInput,
} from "../input-schema.js";
import { field, type Issue, issue, item, type Located } from "./issues.js";
import { validateOffer } from "./offer-rules.js";
import { validatePublisherFields } from "./publisher-rules.js";
import { structuralIssues } from "./structure.js";

/**
 * The well-formed parts of a catalog document, each with its path. A part whose own fields are
 * malformed is `undefined`; its children are still checked, so one typo does not hide other problems.
 */
export interface LocatedOffer {
  path: string;
  fields: Located<OfferFields> | undefined;
  plans: Located<PlanInputType>[];
}

export interface LocatedPublisher {
  path: string;
  fields: Located<PublisherFields> | undefined;
  offers: LocatedOffer[];
}

export interface CatalogValidation {
  /** The document, typed, when it has no problem at all. */
  catalog: CatalogInputType | undefined;
  issues: Issue[];
}

/** Checks a parsed catalog document (from YAML or JSON) against every rule; collects all problems. */
export function validateCatalogDocument(document: unknown): CatalogValidation {
  const issues = [
    ...structuralIssues(CatalogInput, document),
    ...validateLocatedCatalog(locateCatalog(document)),
  ];
  return { catalog: issues.length === 0 ? (document as CatalogInputType) : undefined, issues };
}

export function validateLocatedCatalog(publishers: readonly LocatedPublisher[]): Issue[] {
  return [
    ...publishers.flatMap((publisher) => [
      ...(publisher.fields ? validatePublisherFields(publisher.fields) : []),
      ...publisher.offers.flatMap((offer) => validateOffer(offer.fields, offer.plans)),
      ...offerIdUniquenessIssues(publisher.offers),
    ]),
    ...publisherUniquenessIssues(publishers),
  ];
}

function offerIdUniquenessIssues(offers: readonly LocatedOffer[]): Issue[] {
  const firstPath = new Map<string, string>();
  const found: Issue[] = [];
  for (const offer of offers) {
    if (!offer.fields) continue;
    const { id } = offer.fields.value;
    const first = firstPath.get(id);
    if (first === undefined) firstPath.set(id, offer.path);
    else
      found.push(
        issue(
          field(offer.path, "id"),
          "offer.id.duplicate",
          `offer id "${id}" is already used by ${first} of this publisher`,
        ),
      );
  }
  return found;
}

/** Publisher ids are unique, and so is a tenant + app pair: it identifies exactly one publisher (spec §2.1). */
function publisherUniquenessIssues(publishers: readonly LocatedPublisher[]): Issue[] {
  const idPaths = new Map<string, string>();
  const appPaths = new Map<string, string>();
  const found: Issue[] = [];
  for (const publisher of publishers) {
    if (!publisher.fields) continue;
    const { id, technicalConfiguration } = publisher.fields.value;
    const firstWithId = idPaths.get(id);
    if (firstWithId === undefined) idPaths.set(id, publisher.path);
    else
      found.push(
        issue(
          field(publisher.path, "id"),
          "publisher.id.duplicate",
          `publisher id "${id}" is already used by ${firstWithId}`,
        ),
      );
    const pair = `${technicalConfiguration.tenantId.toLowerCase()}/${technicalConfiguration.appId.toLowerCase()}`;
    const firstWithApp = appPaths.get(pair);
    if (firstWithApp === undefined) appPaths.set(pair, publisher.path);
    else {
      found.push(
        issue(
          field(field(publisher.path, "technicalConfiguration"), "appId"),
          "publisher.app.duplicate",
          `this tenant id and app id are already used by ${firstWithApp}; an Entra app identifies exactly one publisher`,
        ),
      );
    }
  }
  return found;
}

export function locateCatalog(document: unknown): LocatedPublisher[] {
  const publishers = isRecord(document) ? document.publishers : undefined;
  if (!Array.isArray(publishers)) return [];
  return publishers.map((raw, index) => locatePublisher(raw, item("publishers", index)));
}

function locatePublisher(raw: unknown, path: string): LocatedPublisher {
  if (!isRecord(raw)) return { path, fields: undefined, offers: [] };
  const { offers, ...fields } = raw;
  return {
    path,
    fields: Value.Check(PublisherFieldsInput, fields) ? { value: fields, path } : undefined,
    offers: Array.isArray(offers)
      ? offers.map((offer, index) => locateOffer(offer, item(field(path, "offers"), index)))
      : [],
  };
}

function locateOffer(raw: unknown, path: string): LocatedOffer {
  if (!isRecord(raw)) return { path, fields: undefined, plans: [] };
  const { plans, ...fields } = raw;
  const located: Located<PlanInputType>[] = [];
  if (Array.isArray(plans)) {
    plans.forEach((plan, index) => {
      if (Value.Check(PlanInput, plan))
        located.push({ value: plan, path: item(field(path, "plans"), index) });
    });
  }
  return {
    path,
    fields: Value.Check(OfferFieldsInput, fields) ? { value: fields, path } : undefined,
    plans: located,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
