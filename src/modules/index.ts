import addresses from "./addresses";
import apiKeys from "./api-keys";
import cart from "./cart";
import catalog from "./catalog";
import checkout from "./checkout";
import customers from "./customers";
import identity from "./identity";
import orders from "./orders";
import payments from "./payments";
import promotions from "./promotions";
import search from "./search";
import shipping from "./shipping";
import tax from "./tax";

/**
 * Every module, once. The REST facade and its tags, the AppRouter and the
 * access table are derived from this list: adding a module is its folder and
 * one line here. The order is the OpenAPI document's.
 */
export const modules = [
  identity,
  addresses,
  catalog,
  search,
  cart,
  checkout,
  orders,
  payments,
  customers,
  apiKeys,
  promotions,
  shipping,
  tax,
] as const;
