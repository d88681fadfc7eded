/**
 * The marketplace's first-party app id. Publisher apps hard-code it, as Microsoft's clients do: it is
 * the token scope (`<id>/.default`) and the `azp`/`appid` of webhook tokens.
 */
export const marketplaceAppId = "20e940b3-4c77-4b0b-9a53-9e16a1b010a7";
