import { z } from 'zod';

/** The vendors this migration tool has adapters for (core's VendorId is open; this list is not). */
export const VENDORS = ['udesk', 'kf5', 'huawei-aicc'] as const;
export const VendorSchema = z.enum(VENDORS);
export type Vendor = z.infer<typeof VendorSchema>;

export function isVendor(value: string): value is Vendor {
  return (VENDORS as readonly string[]).includes(value);
}
