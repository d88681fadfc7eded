/** A delivery whose outcome another module cares about (the operation behind a ChangePlan, say). */
export interface DeliveryNotice {
  deliveryId: string;
  subscriptionId: string;
  publisherId: string;
  /** The payload's `id`: the operation id. */
  operationId: string;
  action: string;
  /** The payload's `status` (InProgress for operations that wait for the publisher). */
  payloadStatus: string;
}

/**
 * Told about delivery outcomes after they were recorded. The subscriptions module listens: a
 * delivered ChangePlan starts its ack window, a rejected one fails, one that gave up fails too.
 */
export interface DeliveryListener {
  /** The receiver answered 2xx. */
  delivered(notice: DeliveryNotice): Promise<void>;
  /** The receiver answered 4xx to a ChangePlan/ChangeQuantity awaiting acknowledgement: a rejection. */
  rejected(notice: DeliveryNotice, statusCode: number): Promise<void>;
  /** The retry budget ran out. */
  gaveUp(notice: DeliveryNotice): Promise<void>;
}
