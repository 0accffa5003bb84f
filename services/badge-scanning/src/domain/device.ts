/** The scanner device calling, as its key established. */
export interface Device {
  readonly deviceId: string;
  readonly gateId: string;
}
