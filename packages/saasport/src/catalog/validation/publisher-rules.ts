import { parsePublicKeyCredential } from "../../identity/credential-pem.js";
import type { CredentialsInput, PublisherFieldsInput, TechnicalConfigurationInput } from "../input-schema.js";
import { publisherIdPattern } from "../model.js";
import { baseUrlPlaceholder, isGuid, resolveBaseUrlPlaceholder } from "../reference-data.js";
import { field, type Issue, issue, item, type Located } from "./issues.js";
import { catalogLimits } from "./limits.js";
import { displayNameIssues, duplicateIssues } from "./text-rules.js";

export function validatePublisherFields({ value, path }: Located<PublisherFieldsInput>): Issue[] {
  const found: Issue[] = [];
  if (!publisherIdPattern.test(value.id)) {
    found.push(
      issue(
        field(path, "id"),
        "publisher.id.format",
        "publisher id must be 1 to 50 characters: lowercase letters, digits, '.', '-' and '_', starting with a letter or digit",
      ),
    );
  }
  if (value.displayName !== undefined) {
    found.push(
      ...displayNameIssues(
        value.displayName,
        field(path, "displayName"),
        "publisher.displayName",
        catalogLimits.publisherDisplayName,
      ),
    );
  }
  found.push(
    ...validateTechnicalConfiguration({
      value: value.technicalConfiguration,
      path: field(path, "technicalConfiguration"),
    }),
  );
  if (value.credentials)
    found.push(...validateCredentials({ value: value.credentials, path: field(path, "credentials") }));
  return found;
}

/** Tenant and app id identify the publisher's Entra app; the URLs are where the marketplace sends buyers and events. */
export function validateTechnicalConfiguration({
  value,
  path,
}: Located<TechnicalConfigurationInput>): Issue[] {
  const guidMessage = "must be a GUID such as 00000000-0000-0000-0000-000000000000";
  return [
    ...(isGuid(value.tenantId)
      ? []
      : [issue(field(path, "tenantId"), "publisher.tenantId.format", `tenant id ${guidMessage}`)]),
    ...(isGuid(value.appId)
      ? []
      : [issue(field(path, "appId"), "publisher.appId.format", `app id ${guidMessage}`)]),
    ...urlIssues(value.landingPageUrl, field(path, "landingPageUrl"), "publisher.landingPageUrl", true),
    ...urlIssues(value.webhookUrl, field(path, "webhookUrl"), "publisher.webhookUrl", false),
  ];
}

/** Any base URL will do for checking a template: only the shape of the result matters. */
const sampleBaseUrl = "http://saasport.example:4680";

function urlIssues(template: string, path: string, rule: string, isLandingPage: boolean): Issue[] {
  const otherPlaceholder = /\$\{(?!SAASPORT_URL\})[^}]*\}?/.exec(template);
  if (otherPlaceholder) {
    return [
      issue(
        path,
        `${rule}.placeholder`,
        `uses ${otherPlaceholder[0]}; the only placeholder is ${baseUrlPlaceholder}`,
      ),
    ];
  }
  const resolved = resolveBaseUrlPlaceholder(template, sampleBaseUrl);
  let url: URL | undefined;
  try {
    url = new URL(resolved);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || !/^https?:\/\//i.test(resolved)) {
    return [
      issue(
        path,
        `${rule}.absolute`,
        `must be an absolute http or https URL (got ${JSON.stringify(template)})`,
      ),
    ];
  }
  const found: Issue[] = [];
  if (isLandingPage && template.includes("#")) {
    found.push(
      issue(
        path,
        `${rule}.fragment`,
        "must not contain '#': the marketplace appends ?token=… to the landing page URL",
      ),
    );
  }
  if (template.length > catalogLimits.url) {
    found.push(issue(path, `${rule}.length`, `must be at most ${catalogLimits.url} characters long`));
  }
  return found;
}

const secretCharacters = /^[\x21-\x7e]+$/;

export function validateCredentials({ value, path }: Located<CredentialsInput>): Issue[] {
  const found: Issue[] = [];
  const secretsPath = field(path, "clientSecrets");
  const secrets = value.clientSecrets ?? [];
  secrets.forEach((secret, index) => {
    const secretPath = item(secretsPath, index);
    const { clientSecretMin: min, clientSecretMax: max } = catalogLimits;
    if (secret.length < min || secret.length > max) {
      found.push(
        issue(
          secretPath,
          "publisher.clientSecret.length",
          `a client secret must be ${min} to ${max} characters long`,
        ),
      );
    } else if (!secretCharacters.test(secret)) {
      found.push(
        issue(
          secretPath,
          "publisher.clientSecret.characters",
          "a client secret may hold only printable ASCII characters, no spaces",
        ),
      );
    }
  });
  found.push(
    ...duplicateIssues(
      secrets,
      (secret) => secret,
      (index) => item(secretsPath, index),
      "publisher.clientSecret.duplicate",
      (_secret, first) => `the same client secret is already listed at ${first}`,
    ),
  );
  const certificatesPath = field(path, "certificates");
  const certificates = value.certificates ?? [];
  const parsed = certificates.map((pem) => parsePublicKeyCredential(pem));
  parsed.forEach((result, index) => {
    if (!result.ok)
      found.push(
        issue(
          item(certificatesPath, index),
          "publisher.certificate.invalid",
          `certificate ${result.problem}`,
        ),
      );
  });
  found.push(
    ...duplicateIssues(
      parsed,
      (result) => (result.ok ? result.credential.publicKeyPem : undefined),
      (index) => item(certificatesPath, index),
      "publisher.certificate.duplicate",
      (_pem, first) => `the same certificate is already listed at ${first}`,
    ),
  );
  return found;
}
