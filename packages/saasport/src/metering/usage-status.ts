/** Status of one usage event, the official `StatusEnum` of the Metering API. */
export type UsageStatus =
  | "Accepted"
  | "Expired"
  | "Duplicate"
  | "Error"
  | "ResourceNotFound"
  | "ResourceNotAuthorized"
  | "ResourceNotActive"
  | "InvalidDimension"
  | "InvalidQuantity"
  | "BadArgument";

export type RejectionStatus = Exclude<UsageStatus, "Accepted" | "Duplicate">;

/** Why an event was not accepted: its batch status, the field at fault and a message for people. */
export interface Rejection {
  status: RejectionStatus;
  target: string;
  message: string;
}
