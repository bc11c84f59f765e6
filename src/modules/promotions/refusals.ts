import { AppError } from "../../lib/errors";
import type { CouponRefusal } from "./eligibility";

const MESSAGES: Record<CouponRefusal, string> = {
  not_found: "No promotion has this code",
  expired: "This code has expired",
  not_started: "This code is not valid yet",
  minimum_not_met: "The cart's subtotal is below this code's minimum",
  usage_limit_reached: "This code has been used as many times as it may be",
  not_eligible: "This code does not apply to this cart or customer",
  not_combinable: "A cart takes one code: remove the code on it first",
};

/** The one COUPON_INVALID for a refused code: `reason` and `couponCode` (absent: an automatic promotion) in its details. */
export const couponRefused = (reason: CouponRefusal, code: string | null): AppError =>
  new AppError("COUPON_INVALID", MESSAGES[reason], { reason, ...(code !== null && { couponCode: code }) });
