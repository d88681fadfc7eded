import type { Command } from "commander";
import { addClientOptions, type ClientFlags, operatorKeyOf, print, request } from "./client.js";
import { withTlsHint } from "./token.js";

interface RotatedKey {
  kid: string;
  retired: { kid: string; publishedUntil: string }[];
}

interface SigningKeyList {
  keys: {
    kid: string;
    createdAt: string;
    retiredAt: string | null;
    publishedUntil: string | null;
    active: boolean;
  }[];
}

export function registerKeysCommand(program: Command): void {
  const keys = program.command("keys").description("Manage the RS256 keys Saasport signs tokens with.");

  addClientOptions(
    keys
      .command("rotate")
      .description(
        "Make a new signing key active. The previous key stays in the JWKS until every token it signed has expired.",
      ),
  ).action(async (flags: ClientFlags) => {
    const rotated = (await withTlsHint(flags, () =>
      request(flags, "POST", "/operator/v1/signing-keys/rotate", { bearer: operatorKeyOf(flags) }),
    )) as RotatedKey;
    print(flags, { ...rotated }, [
      ["new key", rotated.kid],
      ...rotated.retired.map(({ kid, publishedUntil }): [string, string] => [
        "retired",
        `${kid} (published until ${publishedUntil})`,
      ]),
    ]);
  });

  addClientOptions(keys.command("list").description("List the signing keys, active and retired.")).action(
    async (flags: ClientFlags) => {
      const list = (await withTlsHint(flags, () =>
        request(flags, "GET", "/operator/v1/signing-keys", { bearer: operatorKeyOf(flags) }),
      )) as SigningKeyList;
      print(
        flags,
        { ...list },
        list.keys.map((key): [string, string] => [
          key.kid,
          key.active
            ? `active since ${key.createdAt}`
            : `retired ${key.retiredAt}, published until ${key.publishedUntil}`,
        ]),
      );
    },
  );
}
