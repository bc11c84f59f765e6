import { IdParam } from "../../lib/id-param";
import { mutation, query, staff } from "../../lib/operation";
import {
  CreateTaxRateInput,
  ListTaxRatesInput,
  TaxRate,
  TaxRatePage,
  UpdateTaxRateBody,
  UpdateTaxRateInput,
} from "./schemas";
import * as tax from "./service";

const tag = "Admin: tax";
// Store settings: no API key scope covers them, so keys are refused.
const settings = staff();

export const listTaxRates = query({
  input: ListTaxRatesInput,
  output: TaxRatePage,
  access: settings,
  rest: {
    method: "get",
    path: "/admin/tax-rates",
    status: 200,
    operationId: "listTaxRates",
    tag,
    summary: "Every tax rate, newest first",
    responds: "One page of tax rates",
  },
  run: (ctx, input) => tax.listTaxRates(ctx, input),
});

export const createTaxRate = mutation({
  input: CreateTaxRateInput,
  output: TaxRate,
  access: settings,
  rest: {
    method: "post",
    path: "/admin/tax-rates",
    status: 201,
    operationId: "createTaxRate",
    tag,
    summary: "Set a country's or a region's tax rate",
    description:
      "A region's rate applies to addresses there; the country-wide one (region null) everywhere else in the country.",
    responds: "The new tax rate",
    errors: [409],
  },
  run: (ctx, input) => tax.createTaxRate(ctx, input),
});

export const getTaxRate = query({
  input: IdParam,
  output: TaxRate,
  access: settings,
  rest: {
    method: "get",
    path: "/admin/tax-rates/{id}",
    status: 200,
    operationId: "getTaxRate",
    tag,
    summary: "One tax rate",
    responds: "The tax rate",
    errors: [404],
    params: IdParam,
  },
  run: (ctx, input) => tax.getTaxRate(ctx, input),
});

export const updateTaxRate = mutation({
  input: UpdateTaxRateInput,
  output: TaxRate,
  access: settings,
  rest: {
    method: "patch",
    path: "/admin/tax-rates/{id}",
    status: 200,
    operationId: "updateTaxRate",
    tag,
    summary: "Change a tax rate",
    responds: "The updated tax rate",
    errors: [404, 409],
    params: IdParam,
    body: UpdateTaxRateBody,
  },
  run: (ctx, input) => tax.updateTaxRate(ctx, input),
});

export const deleteTaxRate = mutation({
  input: IdParam,
  output: undefined,
  access: settings,
  rest: {
    method: "delete",
    path: "/admin/tax-rates/{id}",
    status: 204,
    operationId: "deleteTaxRate",
    tag,
    summary: "Delete a tax rate",
    description: "A region without its own rate is taxed at its country's, if any.",
    responds: "Deleted",
    errors: [404],
    params: IdParam,
  },
  run: (ctx, input) => tax.deleteTaxRate(ctx, input),
});
